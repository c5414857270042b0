// The one line above a usage breakdown: what it cost, in bold, then how many calls and tokens.
import { formatTokens, formatUsd } from "../../lib/format";

export function UsageTotals({
  summary,
  more,
}: {
  summary: { totalCostUsd: number; calls: number; totalTokens: number };
  /** Words after the tokens, from their own " · " on ("· 3 agents"). */
  more?: string;
}) {
  return (
    <p className="text-sm">
      <span className="font-semibold">{formatUsd(summary.totalCostUsd)}</span>
      <span className="text-muted">
        {" "}
        · {formatTokens(summary.calls)} calls · {formatTokens(summary.totalTokens)} tokens
        {more && ` ${more}`}
      </span>
    </p>
  );
}

// The groups of a report with their figures, costliest first, and the total underneath.
import { formatTokens, formatUsd } from "../../lib/format";
import { Cell, DataTable, Row, RowHeader } from "../ui/table";

type Figures = {
  calls: number;
  inputTokens: number;
  outputTokens: number;
  totalTokens: number;
  totalCostUsd: number;
};

export function UsageGroupsTable({
  label,
  groups,
  summary,
  colours,
}: {
  /** What the groups are ("Model", "Agent", …): the first column's heading. */
  label: string;
  groups: ReadonlyArray<Figures & { id: string; name: string }>;
  summary: Figures;
  /** A group's colour in the chart, keyed by group key, so the table reads as its legend. */
  colours?: ReadonlyMap<string, string>;
}) {
  const sorted = [...groups].sort((a, b) => b.totalCostUsd - a.totalCostUsd);
  return (
    <DataTable
      className="min-w-[32rem]"
      columns={[
        label,
        { label: "Calls", align: "right" },
        { label: "Tokens", align: "right" },
        { label: "Cost", align: "right" },
      ]}
    >
      {sorted.map((group) => (
        <Row key={group.id}>
          <RowHeader>
            <span className="flex items-center gap-2">
              {colours?.get(group.id) && (
                <span
                  aria-hidden
                  className="h-2.5 w-2.5 shrink-0 rounded-sm"
                  style={{ background: colours.get(group.id) }}
                />
              )}
              {group.name || "None"}
            </span>
          </RowHeader>
          <Cell className="text-right tabular-nums">{formatTokens(group.calls)}</Cell>
          <Cell className="text-right tabular-nums">{formatTokens(group.totalTokens)}</Cell>
          <Cell className="text-right tabular-nums">{formatUsd(group.totalCostUsd)}</Cell>
        </Row>
      ))}
      <tr className="border-t border-border font-semibold">
        <th scope="row" className="px-3 py-2">
          Total
        </th>
        <Cell className="text-right tabular-nums">{formatTokens(summary.calls)}</Cell>
        <Cell className="text-right tabular-nums">{formatTokens(summary.totalTokens)}</Cell>
        <Cell className="text-right tabular-nums">{formatUsd(summary.totalCostUsd)}</Cell>
      </tr>
    </DataTable>
  );
}

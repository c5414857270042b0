// Site-wide figures for administrators, one card each.
import { useQuery } from "@tanstack/react-query";
import { formatTokens, formatUsd } from "../../lib/format";
import { type RouterOutputs, useTRPC } from "../../lib/trpc";
import { QueryState } from "../ui/states";

type Metrics = RouterOutputs["admin"]["metrics"]["get"];

const CARDS: [keyof Metrics, string, (value: number) => string][] = [
  ["totalUsers", "Users", formatTokens],
  ["activeUsers24h", "Active in the last 24 h", formatTokens],
  ["totalProjects", "Projects", formatTokens],
  ["totalConversations", "Conversations", formatTokens],
  ["totalMessages", "Messages", formatTokens],
  ["runningRuns", "Runs in progress", formatTokens],
  ["spendTodayUsd", "Spend today", formatUsd],
];

export function MetricsCards() {
  const trpc = useTRPC();
  const metrics = useQuery({ ...trpc.admin.metrics.get.queryOptions(), refetchInterval: 30_000 });
  return (
    <QueryState query={metrics} loading="Loading figures…">
      {(data) => (
        <dl className="grid grid-cols-2 gap-3 sm:grid-cols-3 lg:grid-cols-4">
          {CARDS.map(([key, label, format]) => (
            <div key={key} className="rounded-lg border border-border bg-surface p-4">
              <dt className="text-xs font-medium uppercase tracking-wide text-muted">{label}</dt>
              <dd className="mt-1 text-2xl font-semibold">{format(data[key])}</dd>
            </div>
          ))}
        </dl>
      )}
    </QueryState>
  );
}

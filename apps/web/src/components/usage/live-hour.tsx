// The last hour minute by minute and the model calls running now, asked again every few seconds while the
// page is open (the report reads a rollup, so this is cheap).
import { useQuery } from "@tanstack/react-query";
import { Bar, BarChart, ResponsiveContainer, Tooltip, XAxis } from "recharts";
import { formatTokens, formatUsd } from "../../lib/format";
import { useTRPC } from "../../lib/trpc";
import { QueryState } from "../ui/states";
import { TOOLTIP_STYLE } from "./spend-chart";

export const LIVE_REFRESH_MS = 10_000;

const minuteLabel = new Intl.DateTimeFormat(undefined, { hour: "2-digit", minute: "2-digit" });

export function LiveHour() {
  const trpc = useTRPC();
  const realtime = useQuery({ ...trpc.usage.realtime.queryOptions(), refetchInterval: LIVE_REFRESH_MS });
  return (
    <QueryState query={realtime} loading="Loading the last hour…">
      {(data) => {
        const minutes = data.minutes.map((m) => ({
          label: minuteLabel.format(new Date(m.start)),
          cost: m.totalCostUsd,
        }));
        return (
          <div className="flex flex-col gap-3 rounded-lg border border-border bg-surface p-4">
            <dl className="flex flex-wrap gap-x-6 gap-y-1 text-sm">
              <div>
                <dt className="text-xs text-muted">Last hour</dt>
                <dd className="text-lg font-semibold" data-testid="live-hour-cost">
                  {formatUsd(data.summary.totalCostUsd)}
                </dd>
              </div>
              <div>
                <dt className="text-xs text-muted">Calls</dt>
                <dd className="text-lg font-semibold">{formatTokens(data.summary.calls)}</dd>
              </div>
              <div>
                <dt className="text-xs text-muted">Running now</dt>
                <dd className="text-lg font-semibold">{data.running.length}</dd>
              </div>
            </dl>
            <div
              role="img"
              aria-label={`Spend per minute over the last hour: ${formatUsd(data.summary.totalCostUsd)} in ${data.summary.calls} calls`}
              className="h-20 w-full min-w-0"
            >
              <ResponsiveContainer width="100%" height="100%">
                <BarChart data={minutes} margin={{ top: 4, right: 0, bottom: 0, left: 0 }}>
                  <XAxis dataKey="label" hide />
                  <Tooltip formatter={(value) => formatUsd(Number(value))} contentStyle={TOOLTIP_STYLE} />
                  <Bar dataKey="cost" name="Spend" fill="var(--color-accent)" />
                </BarChart>
              </ResponsiveContainer>
            </div>
            {data.running.length > 0 && (
              <ul className="flex flex-col gap-1 text-sm" aria-label="Model calls running now">
                {data.running.map((call) => (
                  <li key={call.callId} className="flex flex-wrap gap-x-2 text-muted">
                    <span className="font-medium text-text">{call.agentName ?? "A model call"}</span>
                    <span>{call.model}</span>
                    {call.projectName && <span>· {call.projectName}</span>}
                    <span>· up to {formatUsd(call.estimatedCostUsd)}</span>
                  </li>
                ))}
              </ul>
            )}
          </div>
        );
      }}
    </QueryState>
  );
}

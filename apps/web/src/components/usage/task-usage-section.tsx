// A task's usage: what each agent spent on it, and every model call in order.
import { useQuery } from "@tanstack/react-query";
import { formatDateTime, formatDuration, formatTokens, formatUsd } from "../../lib/format";
import { useTRPC } from "../../lib/trpc";
import { Panel } from "../projects/panel";
import { Empty, QueryState } from "../ui/states";
import { Cell, DataTable, Row, RowHeader } from "../ui/table";
import { CsvDownloadButton } from "./csv-download-button";
import { usageExportPath } from "./usage-params";
import { UsageTotals } from "./usage-totals";

export function TaskUsageSection({ taskId }: { taskId: string }) {
  const trpc = useTRPC();
  const usage = useQuery(trpc.usage.task.queryOptions({ taskId }));
  const hasCalls = (usage.data?.summary.calls ?? 0) > 0;
  return (
    <Panel
      title="Usage"
      description="What the crew's model calls on this task cost."
      actions={hasCalls ? <CsvDownloadButton path={usageExportPath({ kind: "task", taskId })} /> : undefined}
    >
      <QueryState query={usage} loading="Loading usage…">
        {(data) =>
          data.summary.calls === 0 ? (
            <Empty title="No model calls on this task yet" />
          ) : (
            <div className="flex flex-col gap-4">
              <UsageTotals summary={data.summary} more={`· ${data.summary.agentsExecuted} agents`} />
              <DataTable
                className="min-w-[28rem]"
                columns={[
                  "Agent",
                  "Model",
                  { label: "Calls", align: "right" },
                  { label: "Tokens", align: "right" },
                  { label: "Cost", align: "right" },
                ]}
              >
                {data.byAgent.map((agent) => (
                  <Row key={`${agent.agentId}:${agent.model}`}>
                    <RowHeader>{agent.agentName}</RowHeader>
                    <Cell>{agent.model}</Cell>
                    <Cell className="text-right tabular-nums">{formatTokens(agent.calls)}</Cell>
                    <Cell className="text-right tabular-nums">{formatTokens(agent.totalTokens)}</Cell>
                    <Cell className="text-right tabular-nums">{formatUsd(agent.totalCostUsd)}</Cell>
                  </Row>
                ))}
              </DataTable>
              <details>
                <summary className="cursor-pointer text-sm font-medium">
                  Every call ({data.timeline.length}
                  {data.timelineTruncated ? " shown; the CSV has them all" : ""})
                </summary>
                <DataTable
                  className="mt-2 min-w-[36rem]"
                  columns={[
                    "When",
                    "Agent",
                    "Model",
                    { label: "Tokens", align: "right" },
                    { label: "Took", align: "right" },
                    { label: "Cost", align: "right" },
                  ]}
                >
                  {data.timeline.map((call) => (
                    <Row key={call.callId}>
                      <RowHeader>{formatDateTime(call.at)}</RowHeader>
                      <Cell>{call.agentName}</Cell>
                      <Cell>{call.model}</Cell>
                      <Cell className="text-right tabular-nums">{formatTokens(call.totalTokens)}</Cell>
                      <Cell className="text-right tabular-nums">{formatDuration(call.durationMs)}</Cell>
                      <Cell className="text-right tabular-nums">{formatUsd(call.costUsd)}</Cell>
                    </Row>
                  ))}
                </DataTable>
              </details>
            </div>
          )
        }
      </QueryState>
    </Panel>
  );
}

// The costliest tasks of a range, each linking to its page.
import { Link } from "react-router";
import { formatTokens, formatUsd } from "../../lib/format";
import type { RouterOutputs } from "../../lib/trpc";
import { Cell, DataTable, Row, RowHeader } from "../ui/table";

export type TopTask = RouterOutputs["usage"]["project"]["topTasks"][number];

export function TopTasksTable({ tasks }: { tasks: readonly TopTask[] }) {
  return (
    <DataTable
      className="min-w-[28rem]"
      columns={[
        "Task",
        { label: "Calls", align: "right" },
        { label: "Tokens", align: "right" },
        { label: "Cost", align: "right" },
      ]}
    >
      {tasks.map((task) => (
        <Row key={task.taskId}>
          <RowHeader>
            <Link to={`/tasks/${task.taskId}`} className="text-accent hover:underline">
              {task.title}
            </Link>
          </RowHeader>
          <Cell className="text-right tabular-nums">{formatTokens(task.calls)}</Cell>
          <Cell className="text-right tabular-nums">{formatTokens(task.totalTokens)}</Cell>
          <Cell className="text-right tabular-nums">{formatUsd(task.totalCostUsd)}</Cell>
        </Row>
      ))}
    </DataTable>
  );
}

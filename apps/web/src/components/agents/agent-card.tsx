// One member of the crew: who it is, which model it runs on, whether it is working, what it did today.
import { Bot } from "lucide-react";
import { formatRelative, formatUsd } from "../../lib/format";
import type { RouterOutputs } from "../../lib/trpc";
import { plural } from "../projects/project-summary";
import { Badge, humanStatus, statusTone } from "../ui/badge";
import { AgentActions } from "./agent-actions";
import { roleLabel } from "./agent-roles";

type Agent = RouterOutputs["agents"]["list"]["items"][number];

export function AgentCard({
  agent,
  modelName,
  canManage,
}: {
  agent: Agent;
  modelName: string;
  canManage: boolean;
}) {
  const { stats } = agent;
  return (
    <li className="flex flex-col gap-3 rounded-md border border-border p-3 lg:flex-row lg:items-center">
      <div className="flex min-w-0 flex-1 gap-3">
        <span
          aria-hidden
          className="mt-0.5 flex h-8 w-8 shrink-0 items-center justify-center rounded-full bg-subtle text-muted"
        >
          <Bot size={16} />
        </span>
        <div className="min-w-0 flex-1">
          <div className="flex flex-wrap items-center gap-2">
            <h3 className="font-medium">{agent.name}</h3>
            {/* agent_status events refresh this list, so the badge follows the agent live. */}
            <Badge tone={statusTone(agent.status)}>
              <span className="sr-only">Status: </span>
              {humanStatus(agent.status)}
            </Badge>
            {!agent.isActive && <Badge>inactive</Badge>}
          </div>
          <p className="text-sm text-muted">
            {roleLabel(agent.role)} · <span title={agent.modelConfig.model}>{modelName}</span>
          </p>
          <p className="mt-0.5 text-xs text-muted">
            Today: {plural(stats.messagesToday, "message")} · {formatUsd(stats.costTodayUsd)} ·{" "}
            {plural(stats.tasksCompleted, "task")} completed
            {agent.memoryResetAt && ` · memory reset ${formatRelative(agent.memoryResetAt)}`}
          </p>
        </div>
      </div>
      {canManage && <AgentActions agent={agent} />}
    </li>
  );
}

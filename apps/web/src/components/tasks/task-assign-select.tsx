// Handing the task to one agent of its project's crew, or to nobody. A refusal is shown under the select.
import { useMutation, useQueryClient } from "@tanstack/react-query";
import { describeError } from "../../lib/errors";
import { useTRPC } from "../../lib/trpc";
import { SelectField } from "../ui/field";
import { agentOptionLabel } from "./task-actions";
import type { Task } from "./task-options";
import type { AgentSummary } from "./use-task-lookups";

type AgentOption = Pick<AgentSummary, "id" | "name" | "role" | "isActive">;

export function TaskAssignSelect({
  task,
  crew,
  crewError,
  className,
}: {
  task: Pick<Task, "id" | "assignedToAgentId" | "assignedAgent">;
  /** The project's agents; undefined while they load. */
  crew: readonly AgentSummary[] | undefined;
  crewError: boolean;
  className?: string;
}) {
  const trpc = useTRPC();
  const queryClient = useQueryClient();
  const assign = useMutation(
    trpc.tasks.assign.mutationOptions({
      // Shown under the select, not as a toast.
      onError: () => {},
      onSettled: () => queryClient.invalidateQueries({ queryKey: trpc.tasks.pathKey() }),
    }),
  );
  const current = assign.isPending ? (assign.variables?.agentId ?? "") : (task.assignedToAgentId ?? "");
  // Until the crew arrives (or if it cannot), the assigned agent still needs an option to show as chosen.
  const agents: readonly AgentOption[] =
    crew ?? (task.assignedAgent ? [{ ...task.assignedAgent, isActive: true }] : []);

  return (
    <SelectField
      label="Assigned agent"
      value={current}
      disabled={assign.isPending || !crew}
      onChange={(e) => assign.mutate({ taskId: task.id, agentId: e.target.value || null })}
      error={assign.error ? describeError(assign.error) : crewError ? "The crew could not be loaded." : null}
      className={className}
    >
      <option value="">Nobody</option>
      {agents.map((agent) => (
        <option key={agent.id} value={agent.id}>
          {agentOptionLabel(agent)}
        </option>
      ))}
    </SelectField>
  );
}

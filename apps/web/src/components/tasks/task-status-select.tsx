// Moving a task by hand, offering only the moves the server allows from its status.
import { useMutation, useQueryClient } from "@tanstack/react-query";
import { useTRPC } from "../../lib/trpc";
import { cn } from "../ui/cn";
import { inputClass } from "../ui/field";
import { statusChoices, statusLabel, type TaskStatus } from "./task-options";

export function TaskStatusSelect({
  task,
  label,
  className,
}: {
  task: { id: string; status: TaskStatus };
  /** The accessible name: "Status" on the task page, "Status of <title>" on a card among many. */
  label: string;
  className?: string;
}) {
  const trpc = useTRPC();
  const queryClient = useQueryClient();
  const update = useMutation(
    trpc.tasks.update.mutationOptions({
      onSettled: () => queryClient.invalidateQueries({ queryKey: trpc.tasks.pathKey() }),
    }),
  );
  return (
    <select
      aria-label={label}
      value={update.isPending && update.variables?.status ? update.variables.status : task.status}
      disabled={update.isPending}
      onChange={(event) => update.mutate({ taskId: task.id, status: event.target.value as TaskStatus })}
      className={cn(inputClass, "w-auto py-1 text-xs", className)}
    >
      {statusChoices(task.status).map((status) => (
        <option key={status} value={status}>
          {statusLabel(status)}
        </option>
      ))}
    </select>
  );
}

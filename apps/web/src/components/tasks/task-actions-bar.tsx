// Everything a maintainer does to a task from its page: start or cancel its run, move it, hand it to an
// agent, mark it complete, edit or delete it. Refusals are shown in words next to the control.
import { useMutation, useQueryClient } from "@tanstack/react-query";
import { CheckCircle2 } from "lucide-react";
import { toast } from "sonner";
import { describeError } from "../../lib/errors";
import { useTRPC } from "../../lib/trpc";
import { CancelRunButton } from "../runs/cancel-run-button";
import { StartRunDialog } from "../runs/start-run-dialog";
import { Button } from "../ui/button";
import { DeleteTaskButton } from "./delete-task-button";
import { EditTaskDialog } from "./edit-task-dialog";
import { TaskAssignSelect } from "./task-assign-select";
import { canComplete, type Task } from "./task-options";
import { TaskStatusSelect } from "./task-status-select";
import type { AgentSummary } from "./use-task-lookups";

function CompleteButton({ task }: { task: Pick<Task, "id" | "status"> }) {
  const trpc = useTRPC();
  const queryClient = useQueryClient();
  const complete = useMutation(
    trpc.tasks.complete.mutationOptions({
      // Shown beside the button (a 409 when someone moved the task meanwhile).
      onError: () => {},
      onSuccess: () => {
        void queryClient.invalidateQueries({ queryKey: trpc.tasks.pathKey() });
        void queryClient.invalidateQueries({ queryKey: trpc.projects.pathKey() });
        toast.success("Task marked complete");
      },
    }),
  );
  return (
    <>
      <Button
        disabled={!canComplete(task.status)}
        busy={complete.isPending}
        onClick={() => complete.mutate({ taskId: task.id })}
      >
        <CheckCircle2 size={16} aria-hidden /> Mark complete
      </Button>
      {complete.error && (
        <p role="alert" className="basis-full text-sm text-danger">
          Could not mark the task complete: {describeError(complete.error)}
        </p>
      )}
    </>
  );
}

export function TaskActionsBar({
  task,
  runActive,
  startBlocker,
  crew,
  crewError,
}: {
  task: Task;
  runActive: boolean;
  /** Why starting cannot work now, or null. */
  startBlocker: string | null;
  crew: readonly AgentSummary[] | undefined;
  crewError: boolean;
}) {
  return (
    <section
      aria-label="Task actions"
      className="flex flex-col gap-3 rounded-lg border border-border bg-surface p-4"
    >
      <div className="flex flex-wrap items-center gap-2">
        <StartRunDialog taskId={task.id} disabled={startBlocker !== null} />
        {runActive && <CancelRunButton taskId={task.id} taskTitle={task.title} />}
        <CompleteButton task={task} />
        <EditTaskDialog task={task} />
        <div className="ml-auto">
          <DeleteTaskButton taskId={task.id} taskTitle={task.title} runActive={runActive} />
        </div>
        {startBlocker && (
          <p className="basis-full text-sm text-muted">
            <span className="font-medium text-text">Cannot start: </span>
            {startBlocker}
          </p>
        )}
        {runActive && (
          <p className="basis-full text-xs text-muted">Cancel the run before deleting the task.</p>
        )}
      </div>
      <div className="grid gap-3 sm:grid-cols-2">
        <div className="flex flex-col gap-1">
          {/* The select is named by its own aria-label; this is the same word for sighted readers. */}
          <span aria-hidden className="text-sm font-medium">
            Status
          </span>
          <TaskStatusSelect task={task} label="Status" className="w-full py-2 text-sm" />
        </div>
        {task.projectId ? (
          <TaskAssignSelect task={task} crew={crew} crewError={crewError} />
        ) : (
          <p className="self-end text-sm text-muted">Tasks outside a project have no crew to assign.</p>
        )}
      </div>
    </section>
  );
}

// Stopping the task's active run, after asking: the running model call is aborted and cannot be resumed.
import { useMutation, useQueryClient } from "@tanstack/react-query";
import { Square } from "lucide-react";
import { toast } from "sonner";
import { useTRPC } from "../../lib/trpc";
import { ConfirmButton } from "../ui/dialog";

export function CancelRunButton({ taskId, taskTitle }: { taskId: string; taskTitle: string }) {
  const trpc = useTRPC();
  const queryClient = useQueryClient();
  // A refusal (the run ended meanwhile, or the person may not) is toasted by the app's default handler,
  // and the confirmation stays open so it can be dismissed or retried.
  const cancel = useMutation(
    trpc.runs.cancel.mutationOptions({
      onSuccess: () => {
        for (const queryKey of [trpc.tasks.pathKey(), trpc.runs.pathKey(), trpc.agents.pathKey()]) {
          void queryClient.invalidateQueries({ queryKey });
        }
        toast.success("Run cancelled");
      },
    }),
  );
  return (
    <ConfirmButton
      title="Cancel the run?"
      description={`The crew stops working on “${taskTitle}” now; the step under way is aborted and its work so far is kept in the log. You can start the task again later.`}
      confirmLabel="Cancel run"
      cancelLabel="Keep running"
      onConfirm={() => cancel.mutateAsync({ taskId })}
    >
      <Square size={14} aria-hidden /> Cancel run
    </ConfirmButton>
  );
}

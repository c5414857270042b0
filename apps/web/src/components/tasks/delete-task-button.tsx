// Deleting a task with its conversation, after asking. The server refuses while a run is active, so the
// button says so instead of offering a certain failure.
import { useMutation, useQueryClient } from "@tanstack/react-query";
import { Trash2 } from "lucide-react";
import { useNavigate } from "react-router";
import { toast } from "sonner";
import { useTRPC } from "../../lib/trpc";
import { ConfirmButton } from "../ui/dialog";

export function DeleteTaskButton({
  taskId,
  taskTitle,
  runActive,
}: {
  taskId: string;
  taskTitle: string;
  runActive: boolean;
}) {
  const trpc = useTRPC();
  const queryClient = useQueryClient();
  const navigate = useNavigate();
  const remove = useMutation(trpc.tasks.delete.mutationOptions());
  return (
    <ConfirmButton
      title={`Delete “${taskTitle}”?`}
      description="The task, its conversation and its runs' history are deleted for everyone. This cannot be undone."
      confirmLabel="Delete task"
      disabled={runActive}
      variant="danger"
      onConfirm={async () => {
        await remove.mutateAsync({ taskId });
        // Leave first and drop the task's own cache, so nothing asks for it again and shows a 404.
        navigate("/tasks", { replace: true });
        queryClient.removeQueries({ queryKey: trpc.tasks.get.queryKey({ taskId }) });
        void queryClient.invalidateQueries({ queryKey: trpc.tasks.pathKey() });
        void queryClient.invalidateQueries({ queryKey: trpc.projects.pathKey() });
        toast.success(`Task “${taskTitle}” deleted`);
      }}
    >
      <Trash2 size={16} aria-hidden /> Delete task
    </ConfirmButton>
  );
}

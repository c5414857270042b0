// Deleting a project, with everything in it. Owners only, and only after saying yes.
import { useMutation, useQueryClient } from "@tanstack/react-query";
import { Trash2 } from "lucide-react";
import { useNavigate } from "react-router";
import { toast } from "sonner";
import { useTRPC } from "../../lib/trpc";
import { ConfirmButton } from "../ui/dialog";
import { Panel } from "./panel";

export function DangerZone({ projectId, projectName }: { projectId: string; projectName: string }) {
  const trpc = useTRPC();
  const queryClient = useQueryClient();
  const navigate = useNavigate();
  const remove = useMutation(trpc.projects.delete.mutationOptions());
  return (
    <Panel title="Danger zone" className="border-danger/50">
      <div className="flex flex-col gap-3 sm:flex-row sm:items-center sm:justify-between">
        <p className="text-sm text-muted">
          Deleting the project removes its crew, chats, tasks, runs and files for every member. It cannot be
          undone.
        </p>
        <ConfirmButton
          title={`Delete ${projectName}?`}
          description={`${projectName} and everything in it (its agents, conversations, tasks, runs, files and budget limits) will be deleted for every member. This cannot be undone.`}
          confirmLabel="Delete project"
          onConfirm={async () => {
            await remove.mutateAsync({ projectId });
            // Leave first, and drop this project's own cache, so nothing asks for it again and shows a 404.
            navigate("/", { replace: true });
            queryClient.removeQueries({ queryKey: trpc.projects.get.queryKey({ projectId }) });
            void queryClient.invalidateQueries({ queryKey: trpc.projects.pathKey() });
            toast.success(`${projectName} deleted`);
          }}
        >
          <Trash2 size={16} aria-hidden /> Delete project
        </ConfirmButton>
      </div>
    </Panel>
  );
}

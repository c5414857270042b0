// A project owner's emergency stop for this project alone, on the project's page: the top bar's stop covers
// all their projects (or, for an administrator, the site), and disappears once any stop is in force.
import { useMutation, useQuery, useQueryClient } from "@tanstack/react-query";
import { OctagonX, Play } from "lucide-react";
import { toast } from "sonner";
import { useTRPC } from "../../lib/trpc";
import { ConfirmButton } from "../ui/dialog";

export function ProjectEmergencyButton({
  projectId,
  projectName,
}: {
  projectId: string;
  projectName: string;
}) {
  const trpc = useTRPC();
  const queryClient = useQueryClient();
  const status = useQuery(trpc.emergency.status.queryOptions({}));
  const settle = (result: { message: string }) => {
    for (const key of [trpc.emergency.pathKey(), trpc.agents.pathKey(), trpc.runs.pathKey()]) {
      void queryClient.invalidateQueries({ queryKey: key });
    }
    toast.success(result.message);
  };
  const pause = useMutation(trpc.emergency.pauseAll.mutationOptions({ onSuccess: settle }));
  const resume = useMutation(trpc.emergency.resumeAll.mutationOptions({ onSuccess: settle }));
  const stopped = status.data?.active && status.data.stops.some((stop) => stop.projectId === projectId);

  return stopped ? (
    <ConfirmButton
      variant="primary"
      size="sm"
      title={`Resume ${projectName}'s agents?`}
      description="Its agents go back to idle and its paused runs go on where they stopped."
      confirmLabel="Resume agents"
      cancelLabel="Keep stopped"
      onConfirm={() => resume.mutateAsync({ projectId })}
    >
      <Play size={14} aria-hidden /> Resume agents
    </ConfirmButton>
  ) : (
    <ConfirmButton
      size="sm"
      title={`Stop ${projectName}'s agents now?`}
      description="Every agent of this project is paused and its running model calls aborted at once; runs pause where they stand. Other projects carry on."
      confirmLabel="Stop this project"
      cancelLabel="Keep working"
      onConfirm={() => pause.mutateAsync({ projectId, reason: `Stopped from ${projectName}'s page` })}
    >
      <OctagonX size={14} aria-hidden /> Emergency stop<span className="sr-only"> for {projectName}</span>
    </ConfirmButton>
  );
}

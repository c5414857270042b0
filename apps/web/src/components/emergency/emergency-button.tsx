// The emergency stop in the top bar: a red button for those who may pull it, and while a stop is in
// force a paused badge that everyone it concerns sees, with "Resume all" for those who may lift it.
// emergency_pause / emergency_resume events refresh the status.
import { useMutation, useQuery, useQueryClient } from "@tanstack/react-query";
import { PauseCircle, Play } from "lucide-react";
import { toast } from "sonner";
import { useTRPC } from "../../lib/trpc";
import { useMe } from "../../lib/use-me";
import { Badge } from "../ui/badge";
import { ConfirmButton } from "../ui/dialog";
import { EmergencyStopDialog } from "./emergency-stop-dialog";
import { emergencyView } from "./emergency-view";

export function EmergencyButton() {
  const trpc = useTRPC();
  const queryClient = useQueryClient();
  const me = useMe();
  const isAdmin = me.data?.role === "admin";
  const status = useQuery({ ...trpc.emergency.status.queryOptions({}), enabled: me.data !== undefined });
  // Administrators stop the whole site; others need to know which projects they own.
  const projects = useQuery({
    ...trpc.projects.list.queryOptions({ limit: 100 }),
    enabled: me.data !== undefined && !isAdmin,
  });
  const owned = (projects.data?.items ?? []).filter((project) => project.role === "owner");
  const resume = useMutation(
    trpc.emergency.resumeAll.mutationOptions({
      onSuccess: (result) => {
        for (const key of [trpc.emergency.pathKey(), trpc.agents.pathKey(), trpc.runs.pathKey()]) {
          void queryClient.invalidateQueries({ queryKey: key });
        }
        toast.success(result.message);
      },
    }),
  );

  if (!me.data) return null;
  const view = emergencyView({ isAdmin, ownedProjectIds: owned.map((project) => project.id) }, status.data);

  if (view.mode === "hidden") return null;
  if (view.mode === "stop") {
    return (
      <EmergencyStopDialog
        siteWide={view.siteWide}
        ownsSeveral={owned.length > 1 || (projects.data?.pages ?? 0) > 1}
      />
    );
  }
  return (
    <div className="flex items-center gap-2">
      <span role="status" title={view.detail}>
        <Badge tone="danger" className="py-1">
          <PauseCircle size={14} aria-hidden />
          {/* Narrow windows keep the top bar on one line with the short word. */}
          <span className="sm:hidden">Paused</span>
          <span className="hidden max-w-48 truncate sm:inline">{view.label}</span>
          <span className="sr-only">: {view.detail}</span>
        </Badge>
      </span>
      {view.canResume && (
        <ConfirmButton
          variant="primary"
          size="sm"
          title="Resume all agents?"
          description={
            isAdmin
              ? "Lifts every emergency stop: agents go back to idle and paused runs go on where they stopped."
              : "Lifts the emergency stops on your projects: their agents go back to idle and paused runs go on."
          }
          confirmLabel="Resume all"
          onConfirm={() => resume.mutateAsync({})}
        >
          <Play size={14} aria-hidden />
          <span className="sr-only sm:not-sr-only">Resume all</span>
        </ConfirmButton>
      )}
    </div>
  );
}

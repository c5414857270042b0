// The confirmation before an emergency stop, with an optional reason that everyone affected sees. An
// administrator stops the whole site; a project's owner stops all their projects or one of them.
import { useMutation, useQueryClient } from "@tanstack/react-query";
import { OctagonX } from "lucide-react";
import { type FormEvent, useState } from "react";
import { toast } from "sonner";
import { describeError } from "../../lib/errors";
import { useTRPC } from "../../lib/trpc";
import { Button } from "../ui/button";
import { Dialog } from "../ui/dialog";
import { SelectField, TextAreaField } from "../ui/field";

type OwnedProject = { id: string; name: string };

export function EmergencyStopDialog({
  siteWide,
  ownedProjects,
}: {
  siteWide: boolean;
  ownedProjects: OwnedProject[];
}) {
  const trpc = useTRPC();
  const queryClient = useQueryClient();
  const [open, setOpen] = useState(false);
  const [reason, setReason] = useState("");
  const [projectId, setProjectId] = useState("");
  const pause = useMutation(
    trpc.emergency.pauseAll.mutationOptions({
      onSuccess: (result) => {
        // The live stream refreshes these too; this is for when it is reconnecting.
        for (const key of [trpc.emergency.pathKey(), trpc.agents.pathKey(), trpc.runs.pathKey()]) {
          void queryClient.invalidateQueries({ queryKey: key });
        }
        toast.success(result.message);
        setOpen(false);
      },
      onError: () => {},
    }),
  );
  const openChange = (next: boolean) => {
    if (next) {
      setReason("");
      setProjectId("");
      pause.reset();
    }
    setOpen(next);
  };
  const submit = (event: FormEvent) => {
    event.preventDefault();
    pause.mutate({
      ...(reason.trim() && { reason: reason.trim() }),
      ...(!siteWide && projectId && { projectId }),
    });
  };

  return (
    <Dialog
      open={open}
      onOpenChange={openChange}
      title="Emergency stop"
      description={
        siteWide
          ? "Every agent on this site is paused and every running model call is aborted at once. Runs pause where they stand and go on when you resume."
          : "The agents of your projects are paused and their running model calls aborted at once. Runs pause where they stand and go on when you resume."
      }
      trigger={
        <Button variant="danger" size="sm">
          <OctagonX size={16} aria-hidden />
          <span className="sr-only sm:not-sr-only">Emergency stop</span>
        </Button>
      }
    >
      <form onSubmit={submit} className="flex flex-col gap-4">
        {!siteWide && ownedProjects.length > 1 && (
          <SelectField label="Projects" value={projectId} onChange={(e) => setProjectId(e.target.value)}>
            <option value="">All projects I own</option>
            {ownedProjects.map((project) => (
              <option key={project.id} value={project.id}>
                {project.name}
              </option>
            ))}
          </SelectField>
        )}
        <TextAreaField
          label="Reason (optional)"
          value={reason}
          onChange={(e) => setReason(e.target.value)}
          maxLength={500}
          placeholder="Runaway costs on the website project"
          hint="Shown to everyone whose agents are paused."
        />
        {pause.error && (
          <p role="alert" className="text-sm text-danger">
            {describeError(pause.error)}
          </p>
        )}
        <div className="flex justify-end gap-2">
          <Button onClick={() => setOpen(false)}>Cancel</Button>
          <Button type="submit" variant="danger" busy={pause.isPending}>
            Stop all agents
          </Button>
        </div>
      </form>
    </Dialog>
  );
}

// The confirmation before an emergency stop, with an optional reason that everyone affected sees. An
// administrator stops the whole site; a project's owner stops all their projects or one of them.
import { useMutation, useQueryClient } from "@tanstack/react-query";
import { OctagonX } from "lucide-react";
import { useState } from "react";
import { useForm } from "react-hook-form";
import { toast } from "sonner";
import { checkInput, type FieldOf, inputResolver, loadSchemas, sameNames } from "../../lib/schema-form";
import { useTRPC } from "../../lib/trpc";
import { FormProjectSelectField } from "../projects/project-select-field";
import { Button } from "../ui/button";
import { FormDialog } from "../ui/form-dialog";
import { FormTextAreaField } from "../ui/form-field";

type Values = { reason: string; projectId: string };

const emptyValues = (): Values => ({ reason: "", projectId: "" });
const fieldOf: FieldOf<Values> = sameNames<Values>("reason", "projectId");
const resolver = inputResolver(
  async (values: Values) =>
    checkInput((await loadSchemas()).zPauseAllInput, {
      ...(values.reason.trim() && { reason: values.reason }),
      ...(values.projectId && { projectId: values.projectId }),
    }),
  fieldOf,
);
const owned = (project: { role: string }) => project.role === "owner";
const ALL_OWNED = [{ value: "", label: "All projects I own" }];

export function EmergencyStopDialog({
  siteWide,
  ownsSeveral,
}: {
  siteWide: boolean;
  /** Whether the person owns more than one project, so there is a choice of which to stop. */
  ownsSeveral: boolean;
}) {
  const trpc = useTRPC();
  const queryClient = useQueryClient();
  const [open, setOpen] = useState(false);
  const form = useForm({ defaultValues: emptyValues(), resolver });
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

  return (
    <FormDialog
      open={open}
      onOpenChange={setOpen}
      initialValues={emptyValues()}
      onOpen={() => {
        // Fetch the schemas while the dialog is read, so pulling the stop does not wait for them.
        void loadSchemas();
      }}
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
      form={form}
      fieldOf={fieldOf}
      // An administrator's stop is site-wide: it names no project.
      onSubmit={({ projectId, ...input }) => pause.mutate(siteWide ? input : { ...input, projectId })}
      request={pause}
      submitLabel="Stop all agents"
      danger
    >
      {!siteWide && ownsSeveral && (
        <FormProjectSelectField
          form={form}
          name="projectId"
          label="Projects"
          include={owned}
          leading={ALL_OWNED}
        />
      )}
      <FormTextAreaField
        form={form}
        name="reason"
        label="Reason (optional)"
        maxLength={500}
        placeholder="Runaway costs on the website project"
        hint="Shown to everyone whose agents are paused."
      />
    </FormDialog>
  );
}

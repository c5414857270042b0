// Starting a task's run: optional instructions for the crew, and optionally an image (a screenshot, a
// mock-up) that goes to the multipart route; without one, the JSON procedure.
import { zStartRunBody } from "@crewdeck/api/schemas";
import { useMutation, useQueryClient } from "@tanstack/react-query";
import { Play } from "lucide-react";
import { useState } from "react";
import { useForm } from "react-hook-form";
import { toast } from "sonner";
import { useServices } from "../../lib/app-context";
import { checkInput, inputResolver, sameNames } from "../../lib/schema-form";
import { authorisedFetch, useTRPC, useTRPCClient } from "../../lib/trpc";
import { Button } from "../ui/button";
import { FormDialog } from "../ui/form-dialog";
import { FormTextAreaField, FormTextField } from "../ui/form-field";
import { type StartRunResult, startRunWithImage } from "./start-run-request";

const IMAGE_TYPES = "image/png,image/jpeg,image/gif,image/webp";

type Values = { instructions: string; image: FileList | null };
type Request = { instructions: string | undefined; image: File | null };

const emptyValues = (): Values => ({ instructions: "", image: null });
const fieldOf = sameNames<Values>("instructions");
const resolver = inputResolver((values: Values) => {
  const checked = checkInput(zStartRunBody, {
    ...(values.instructions.trim() && { instructions: values.instructions }),
  });
  if (!checked.ok) return checked;
  return { ok: true, value: { instructions: checked.value.instructions, image: values.image?.[0] ?? null } };
}, fieldOf);

export function StartRunDialog({ taskId, disabled }: { taskId: string; disabled?: boolean }) {
  const trpc = useTRPC();
  const client = useTRPCClient();
  const { session, serverUrl } = useServices();
  const queryClient = useQueryClient();
  const [open, setOpen] = useState(false);
  const form = useForm({ defaultValues: emptyValues(), resolver });

  const start = useMutation({
    mutationFn: async ({ instructions, image }: Request): Promise<StartRunResult> => {
      if (image)
        return startRunWithImage(authorisedFetch(session), serverUrl, taskId, {
          instructions: instructions ?? "",
          image,
        });
      return client.runs.start.mutate({ taskId, ...(instructions && { instructions }) });
    },
    // Shown in the dialog, where the person can change what they send and try again.
    onError: () => {},
    onSuccess: (result) => {
      for (const queryKey of [trpc.tasks.pathKey(), trpc.runs.pathKey(), trpc.conversations.pathKey()]) {
        void queryClient.invalidateQueries({ queryKey });
      }
      setOpen(false);
      toast.success(
        `Run started: ${result.run.totalSteps} ${result.run.totalSteps === 1 ? "step" : "steps"}`,
      );
    },
  });

  return (
    <FormDialog
      open={open}
      onOpenChange={setOpen}
      initialValues={emptyValues()}
      title="Start task"
      description="The crew works through the task step by step; follow it in the pipeline below."
      trigger={
        <Button variant="primary" disabled={disabled}>
          <Play size={16} aria-hidden /> Start task
        </Button>
      }
      form={form}
      fieldOf={fieldOf}
      onSubmit={(request) => start.mutate(request)}
      request={start}
      submitLabel="Start run"
    >
      <FormTextAreaField
        form={form}
        name="instructions"
        label="Instructions"
        maxLength={20_000}
        rows={5}
        placeholder="Anything the crew should know for this run"
        autoFocus
      />
      <FormTextField
        form={form}
        name="image"
        label="Image"
        type="file"
        accept={IMAGE_TYPES}
        hint="Optional: a screenshot or mock-up (PNG, JPEG, GIF or WebP)."
        className="[&_input]:py-1.5"
      />
    </FormDialog>
  );
}

// Starting a task's run: optional instructions for the crew, and optionally an image (a screenshot, a
// mock-up) that goes to the multipart route; without one, the JSON procedure.
import { useMutation, useQueryClient } from "@tanstack/react-query";
import { Play } from "lucide-react";
import { type FormEvent, useState } from "react";
import { toast } from "sonner";
import { useServices } from "../../lib/app-context";
import { describeError } from "../../lib/errors";
import { authorisedFetch, useTRPC, useTRPCClient } from "../../lib/trpc";
import { Button } from "../ui/button";
import { Dialog } from "../ui/dialog";
import { TextAreaField, TextField } from "../ui/field";
import { type StartRunResult, startRunWithImage } from "./start-run-request";

const IMAGE_TYPES = "image/png,image/jpeg,image/gif,image/webp";

export function StartRunDialog({ taskId, disabled }: { taskId: string; disabled?: boolean }) {
  const trpc = useTRPC();
  const client = useTRPCClient();
  const { session, serverUrl } = useServices();
  const queryClient = useQueryClient();
  const [open, setOpen] = useState(false);
  const [instructions, setInstructions] = useState("");
  const [image, setImage] = useState<File | null>(null);

  const start = useMutation({
    mutationFn: async (): Promise<StartRunResult> => {
      if (image)
        return startRunWithImage(authorisedFetch(session), serverUrl, taskId, { instructions, image });
      const text = instructions.trim();
      return client.runs.start.mutate({ taskId, ...(text && { instructions: text }) });
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

  const openChange = (next: boolean) => {
    if (next) {
      setInstructions("");
      setImage(null);
      start.reset();
    }
    setOpen(next);
  };
  const submit = (event: FormEvent) => {
    event.preventDefault();
    start.mutate();
  };

  return (
    <Dialog
      open={open}
      onOpenChange={openChange}
      title="Start task"
      description="The crew works through the task step by step; follow it in the pipeline below."
      trigger={
        <Button variant="primary" disabled={disabled}>
          <Play size={16} aria-hidden /> Start task
        </Button>
      }
    >
      <form onSubmit={submit} className="flex flex-col gap-4">
        <TextAreaField
          label="Instructions"
          value={instructions}
          onChange={(e) => setInstructions(e.target.value)}
          maxLength={20_000}
          rows={5}
          placeholder="Anything the crew should know for this run"
          autoFocus
        />
        <TextField
          label="Image"
          type="file"
          accept={IMAGE_TYPES}
          onChange={(e) => setImage(e.target.files?.[0] ?? null)}
          hint="Optional: a screenshot or mock-up (PNG, JPEG, GIF or WebP)."
          className="[&_input]:py-1.5"
        />
        {start.error && (
          <p role="alert" className="rounded-md bg-danger-bg px-3 py-2 text-sm text-danger">
            {describeError(start.error)}
          </p>
        )}
        <div className="flex justify-end gap-2">
          <Button onClick={() => setOpen(false)}>Cancel</Button>
          <Button type="submit" variant="primary" busy={start.isPending}>
            Start run
          </Button>
        </div>
      </form>
    </Dialog>
  );
}

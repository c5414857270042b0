// Changing what a task asks for: its title and description. Field errors sit under their field.
import { useMutation, useQueryClient } from "@tanstack/react-query";
import { Pencil } from "lucide-react";
import { type FormEvent, useState } from "react";
import { toast } from "sonner";
import { describeError, fieldErrors } from "../../lib/errors";
import { useTRPC } from "../../lib/trpc";
import { Button } from "../ui/button";
import { Dialog } from "../ui/dialog";
import { TextAreaField, TextField } from "../ui/field";
import type { Task } from "./task-options";

const SHOWN_FIELDS = ["title", "description"];

export function EditTaskDialog({ task }: { task: Pick<Task, "id" | "title" | "description"> }) {
  const trpc = useTRPC();
  const queryClient = useQueryClient();
  const [open, setOpen] = useState(false);
  const [title, setTitle] = useState(task.title);
  const [description, setDescription] = useState(task.description ?? "");

  const update = useMutation(
    trpc.tasks.update.mutationOptions({
      // Shown in the form, next to the field it is about.
      onError: () => {},
      onSuccess: () => {
        void queryClient.invalidateQueries({ queryKey: trpc.tasks.pathKey() });
        void queryClient.invalidateQueries({ queryKey: trpc.conversations.pathKey() });
        setOpen(false);
        toast.success("Task saved");
      },
    }),
  );
  const errors = fieldErrors(update.error);
  const errorFor = (field: string) => errors.find((e) => e.field === field)?.message;
  const unplaced = errors.length === 0 || errors.some((e) => !SHOWN_FIELDS.includes(e.field));

  const openChange = (next: boolean) => {
    // Start from the task as it is now: live events may have changed it since the page loaded.
    if (next) {
      setTitle(task.title);
      setDescription(task.description ?? "");
      update.reset();
    }
    setOpen(next);
  };
  const submit = (event: FormEvent) => {
    event.preventDefault();
    const text = description.trim();
    update.mutate({ taskId: task.id, title: title.trim(), description: text ? description : null });
  };

  return (
    <Dialog
      open={open}
      onOpenChange={openChange}
      title="Edit task"
      description="The crew reads the title and description at the start of every run."
      trigger={
        <Button>
          <Pencil size={16} aria-hidden /> Edit task
        </Button>
      }
    >
      <form onSubmit={submit} className="flex flex-col gap-4">
        <TextField
          label="Title"
          value={title}
          onChange={(e) => setTitle(e.target.value)}
          required
          maxLength={200}
          autoFocus
          error={errorFor("title")}
        />
        <TextAreaField
          label="Description"
          value={description}
          onChange={(e) => setDescription(e.target.value)}
          maxLength={20_000}
          rows={8}
          hint="Markdown is supported."
          error={errorFor("description")}
        />
        {update.error && unplaced && (
          <p role="alert" className="rounded-md bg-danger-bg px-3 py-2 text-sm text-danger">
            {describeError(update.error)}
          </p>
        )}
        <div className="flex justify-end gap-2">
          <Button onClick={() => setOpen(false)}>Cancel</Button>
          <Button type="submit" variant="primary" busy={update.isPending}>
            Save
          </Button>
        </div>
      </form>
    </Dialog>
  );
}

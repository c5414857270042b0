// Renaming a chat. The form mounts only while the dialog is open (a closed dialog's content is unmounted),
// so each opening starts from the title as it is now.
import { useMutation, useQueryClient } from "@tanstack/react-query";
import { Pencil } from "lucide-react";
import { type FormEvent, useState } from "react";
import { describeError, fieldErrors } from "../../lib/errors";
import { useTRPC } from "../../lib/trpc";
import { Button } from "../ui/button";
import { Dialog } from "../ui/dialog";
import { TextField } from "../ui/field";

function RenameForm({
  conversationId,
  title,
  onDone,
}: {
  conversationId: string;
  title: string;
  onDone: () => void;
}) {
  const trpc = useTRPC();
  const queryClient = useQueryClient();
  const [value, setValue] = useState(title);
  const rename = useMutation(
    trpc.conversations.update.mutationOptions({
      // Shown under the field, with what was typed kept.
      onError: () => {},
      onSuccess: async () => {
        await queryClient.invalidateQueries({ queryKey: trpc.conversations.pathKey() });
        onDone();
      },
    }),
  );
  const error = rename.error
    ? (fieldErrors(rename.error).find((e) => e.field === "title")?.message ?? describeError(rename.error))
    : null;
  const submit = (event: FormEvent) => {
    event.preventDefault();
    const next = value.trim();
    if (next === title) return onDone();
    rename.mutate({ conversationId, title: next });
  };
  return (
    <form onSubmit={submit} className="flex flex-col gap-4">
      <TextField
        label="Title"
        value={value}
        onChange={(e) => setValue(e.target.value)}
        required
        maxLength={200}
        autoFocus
        error={error}
      />
      <div className="flex justify-end gap-2">
        <Button onClick={onDone}>Cancel</Button>
        <Button type="submit" variant="primary" busy={rename.isPending}>
          Save
        </Button>
      </div>
    </form>
  );
}

export function RenameConversationDialog({
  conversationId,
  title,
}: {
  conversationId: string;
  title: string;
}) {
  const [open, setOpen] = useState(false);
  return (
    <Dialog
      open={open}
      onOpenChange={setOpen}
      title="Rename chat"
      trigger={
        <Button size="sm">
          <Pencil size={14} aria-hidden /> Rename
        </Button>
      }
    >
      <RenameForm conversationId={conversationId} title={title} onDone={() => setOpen(false)} />
    </Dialog>
  );
}

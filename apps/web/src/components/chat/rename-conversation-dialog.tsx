// Renaming a chat. Each opening starts from the title as it is now.
import { zUpdateConversationInput } from "@crewdeck/api/schemas";
import { useMutation, useQueryClient } from "@tanstack/react-query";
import { Pencil } from "lucide-react";
import { useState } from "react";
import { useForm } from "react-hook-form";
import { checkInput, inputResolver, sameNames } from "../../lib/schema-form";
import { useTRPC } from "../../lib/trpc";
import { Button } from "../ui/button";
import { FormDialog } from "../ui/form-dialog";
import { FormTextField } from "../ui/form-field";

type Values = { conversationId: string; title: string };

const fieldOf = sameNames<Values>("title");
const resolver = inputResolver((values: Values) => checkInput(zUpdateConversationInput, values), fieldOf);

export function RenameConversationDialog({
  conversationId,
  title,
}: {
  conversationId: string;
  title: string;
}) {
  const trpc = useTRPC();
  const queryClient = useQueryClient();
  const [open, setOpen] = useState(false);
  const form = useForm({ defaultValues: { conversationId, title }, resolver });
  const rename = useMutation(
    trpc.conversations.update.mutationOptions({
      // Shown under the field, with what was typed kept.
      onError: () => {},
      onSuccess: async () => {
        await queryClient.invalidateQueries({ queryKey: trpc.conversations.pathKey() });
        setOpen(false);
      },
    }),
  );
  return (
    <FormDialog
      open={open}
      onOpenChange={setOpen}
      initialValues={{ conversationId, title }}
      title="Rename chat"
      trigger={
        <Button size="sm">
          <Pencil size={14} aria-hidden /> Rename
        </Button>
      }
      form={form}
      fieldOf={fieldOf}
      // An unchanged title needs no request.
      onSubmit={(input) => (input.title === title ? setOpen(false) : rename.mutate(input))}
      request={rename}
      submitLabel="Save"
    >
      <FormTextField form={form} name="title" label="Title" required maxLength={200} autoFocus />
    </FormDialog>
  );
}

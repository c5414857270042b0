// Asks before banning someone, with an optional reason and end date. A ban signs them out everywhere.
import { zUpdateUserInput } from "@crewdeck/api/schemas";
import { useMutation } from "@tanstack/react-query";
import { useState } from "react";
import { useForm } from "react-hook-form";
import { checkInput, inputResolver, sameNames } from "../../lib/schema-form";
import { useTRPC } from "../../lib/trpc";
import { Button } from "../ui/button";
import { FormDialog } from "../ui/form-dialog";
import { FormTextField } from "../ui/form-field";
import type { AdminUser } from "./admin-users";

type Values = { userId: string; banReason: string; banExpires: string };

const fieldOf = sameNames<Values>("banReason", "banExpires");
const resolver = inputResolver(
  (values: Values) =>
    checkInput(zUpdateUserInput, {
      userId: values.userId,
      banned: true,
      ...(values.banReason.trim() && { banReason: values.banReason }),
      // The date input gives a day; the ban ends at the start of it, local time.
      ...(values.banExpires && { banExpires: new Date(`${values.banExpires}T00:00:00`).toISOString() }),
    }),
  fieldOf,
);

export function BanUserDialog({ user, onBanned }: { user: AdminUser; onBanned: () => void }) {
  const trpc = useTRPC();
  const [open, setOpen] = useState(false);
  const form = useForm({ defaultValues: { userId: user.id, banReason: "", banExpires: "" }, resolver });
  const ban = useMutation(
    trpc.admin.users.update.mutationOptions({
      onSuccess: () => {
        onBanned();
        setOpen(false);
      },
      onError: () => {},
    }),
  );

  return (
    <FormDialog
      open={open}
      onOpenChange={setOpen}
      initialValues={{ userId: user.id, banReason: "", banExpires: "" }}
      title={`Ban ${user.name}?`}
      description="They are signed out everywhere at once and cannot sign in or use their API keys until the ban ends or is lifted."
      trigger={
        <Button size="sm" variant="ghost" className="text-danger">
          Ban<span className="sr-only"> {user.name}</span>
        </Button>
      }
      form={form}
      fieldOf={fieldOf}
      onSubmit={(input) => ban.mutate(input)}
      request={ban}
      submitLabel="Ban user"
      danger
    >
      <FormTextField form={form} name="banReason" label="Reason (optional)" maxLength={500} />
      <FormTextField
        form={form}
        name="banExpires"
        label="Banned until (optional)"
        type="date"
        hint="Leave empty for a ban without end."
      />
    </FormDialog>
  );
}

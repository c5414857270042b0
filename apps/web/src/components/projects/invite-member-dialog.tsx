// "Invite member": an email and a role. The person joins once they accept; the answer is the same whether
// or not they have an account yet, so the dialog shows the link to pass on rather than a name.
import { zAddMemberInput } from "@crewdeck/api/schemas";
import { useMutation, useQueryClient } from "@tanstack/react-query";
import { UserPlus } from "lucide-react";
import { useState } from "react";
import { useForm } from "react-hook-form";
import { checkInput, inputResolver, sameNames } from "../../lib/schema-form";
import { useTRPC } from "../../lib/trpc";
import { invitationResult } from "../invitations/invitation-link";
import { Button } from "../ui/button";
import { FormDialog } from "../ui/form-dialog";
import { FormSelectField, FormTextField } from "../ui/form-field";
import { MEMBER_ROLES, type MemberRole, roleHint } from "./project-roles";

type Values = { email: string; role: MemberRole };

const emptyValues = (): Values => ({ email: "", role: "maintainer" });
const fieldOf = sameNames<Values>("email", "role");

export function InviteMemberDialog({ projectId }: { projectId: string }) {
  const trpc = useTRPC();
  const queryClient = useQueryClient();
  const [open, setOpen] = useState(false);
  const form = useForm({
    defaultValues: emptyValues(),
    resolver: inputResolver(
      (values: Values) => checkInput(zAddMemberInput, { email: values.email.trim(), role: values.role }),
      fieldOf,
    ),
  });
  const invite = useMutation(
    trpc.projects.members.add.mutationOptions({
      onError: () => {},
      onSuccess: () => void queryClient.invalidateQueries({ queryKey: trpc.invitations.list.pathKey() }),
    }),
  );
  const trigger = (
    <Button variant="primary">
      <UserPlus size={16} aria-hidden /> Invite member
    </Button>
  );
  const description = "They join with this role once they accept the invitation.";
  return (
    <FormDialog
      open={open}
      onOpenChange={setOpen}
      initialValues={emptyValues()}
      title="Invite member"
      description={description}
      trigger={trigger}
      form={form}
      fieldOf={fieldOf}
      onSubmit={(input) => invite.mutate({ projectId, ...input })}
      request={invite}
      submitLabel="Invite"
      noValidate
      result={invitationResult(invite.data, () => setOpen(false))}
    >
      <FormTextField
        form={form}
        name="email"
        label="Email"
        type="email"
        autoComplete="off"
        required
        autoFocus
      />
      <FormSelectField
        form={form}
        name="role"
        label="Role"
        choices={MEMBER_ROLES}
        choiceLabel={(role) => `${role}: ${roleHint(role).toLowerCase()}`}
      />
    </FormDialog>
  );
}

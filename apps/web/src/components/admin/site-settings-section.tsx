// Who may sign up, each person's daily spend cap, and invitations to the site: an administrator's to change
// at runtime; the server's environment gives the defaults.
import { zCreateInvitationInput, zUpdateSiteSettingsInput } from "@crewdeck/api/schemas";
import { SIGNUP_MODES } from "@crewdeck/domain";
import { useMutation, useQuery, useQueryClient } from "@tanstack/react-query";
import { MailPlus } from "lucide-react";
import { useState } from "react";
import { useForm } from "react-hook-form";
import { toast } from "sonner";
import { formatUsd } from "../../lib/format";
import { checkInput, inputResolver, sameNames, typedNumber } from "../../lib/schema-form";
import { type RouterOutputs, useTRPC } from "../../lib/trpc";
import { invitationResult } from "../invitations/invitation-link";
import { PendingInvitations } from "../invitations/pending-invitations";
import { Button } from "../ui/button";
import { FormAlert, useFormAlert } from "../ui/form-alert";
import { FormDialog } from "../ui/form-dialog";
import { FormSelectField, FormTextField } from "../ui/form-field";
import { QueryState } from "../ui/states";

type Settings = RouterOutputs["admin"]["settings"]["get"];
type SignupMode = (typeof SIGNUP_MODES)[number];

const MODE_LABELS: Record<SignupMode, string> = {
  open: "Open: anyone who reaches the server",
  invite: "By invitation: a link from an administrator or a project owner",
  closed: "Closed: nobody signs up",
};

export function SiteSettingsSection() {
  const trpc = useTRPC();
  const settings = useQuery(trpc.admin.settings.get.queryOptions());
  return (
    <section id="site-settings" aria-labelledby="site-settings-heading" className="flex flex-col gap-3">
      <div>
        <h2 id="site-settings-heading" className="text-lg font-semibold">
          Sign-up and spending
        </h2>
        <p className="text-sm text-muted">
          Changes apply at once and outlive restarts; the server's environment gives the defaults.
        </p>
      </div>
      <div className="grid gap-4 lg:grid-cols-2">
        <QueryState query={settings} loading="Loading the settings…">
          {(current) => <SettingsForm key={JSON.stringify(current)} current={current} />}
        </QueryState>
        <div className="flex flex-col gap-3 rounded-lg border border-border bg-surface p-4">
          <div className="flex flex-wrap items-start justify-between gap-2">
            <div>
              <h3 className="font-semibold">Invitations to the site</h3>
              <p className="text-sm text-muted">A link creates one account, within 7 days.</p>
            </div>
            <InviteToSiteDialog />
          </div>
          <PendingInvitations />
        </div>
      </div>
    </section>
  );
}

type Values = { signupMode: SignupMode; dailySpendCapUsd: string };
const fieldOf = sameNames<Values>("signupMode", "dailySpendCapUsd");
const resolver = inputResolver(
  (values: Values) =>
    checkInput(zUpdateSiteSettingsInput, {
      signupMode: values.signupMode,
      dailySpendCapUsd: typedNumber(values.dailySpendCapUsd),
    }),
  fieldOf,
);

function SettingsForm({ current }: { current: Settings }) {
  const trpc = useTRPC();
  const queryClient = useQueryClient();
  const form = useForm({
    defaultValues: { signupMode: current.signupMode, dailySpendCapUsd: String(current.dailySpendCapUsd) },
    resolver,
  });
  const save = useMutation(
    trpc.admin.settings.update.mutationOptions({
      onError: () => {},
      onSuccess: (saved) => {
        queryClient.setQueryData(trpc.admin.settings.get.queryKey(), saved);
        toast.success("Site settings saved");
      },
    }),
  );
  const alert = useFormAlert(form, fieldOf, save.error);
  return (
    <form
      aria-label="Site settings"
      noValidate
      onSubmit={form.handleSubmit((input) => save.mutate(input))}
      className="flex flex-col gap-3 rounded-lg border border-border bg-surface p-4"
    >
      <FormSelectField
        form={form}
        name="signupMode"
        label="Who may sign up"
        choices={SIGNUP_MODES}
        choiceLabel={(mode) => MODE_LABELS[mode]}
        hint={`The environment's default: ${current.defaults.signupMode}. The first account of a fresh install can always sign up.`}
      />
      <FormTextField
        form={form}
        name="dailySpendCapUsd"
        label="Daily spend cap per person (USD)"
        type="number"
        inputMode="decimal"
        min={0}
        step="0.01"
        hint={`0 means no cap. The environment's default: ${formatUsd(current.defaults.dailySpendCapUsd)}.`}
      />
      <FormAlert message={alert} />
      <div className="flex justify-end">
        <Button type="submit" variant="primary" busy={save.isPending}>
          Save settings
        </Button>
      </div>
    </form>
  );
}

type InviteValues = { email: string };
const inviteFieldOf = sameNames<InviteValues>("email");
const inviteResolver = inputResolver(
  (values: InviteValues) =>
    checkInput(zCreateInvitationInput, values.email.trim() ? { email: values.email.trim() } : {}),
  inviteFieldOf,
);

function InviteToSiteDialog() {
  const trpc = useTRPC();
  const queryClient = useQueryClient();
  const [open, setOpen] = useState(false);
  const form = useForm({ defaultValues: { email: "" }, resolver: inviteResolver });
  const invite = useMutation(
    trpc.invitations.create.mutationOptions({
      onError: () => {},
      onSuccess: () => void queryClient.invalidateQueries({ queryKey: trpc.invitations.list.pathKey() }),
    }),
  );
  const trigger = (
    <Button variant="secondary">
      <MailPlus size={16} aria-hidden /> Invite to the site
    </Button>
  );
  const description = "The link lets one person create an account, even when sign-up is by invitation.";
  return (
    <FormDialog
      open={open}
      onOpenChange={setOpen}
      initialValues={{ email: "" }}
      title="Invite to the site"
      description={description}
      trigger={trigger}
      form={form}
      fieldOf={inviteFieldOf}
      onSubmit={(input) => invite.mutate(input)}
      request={invite}
      submitLabel="Create link"
      noValidate
      result={invitationResult(invite.data, () => setOpen(false))}
    >
      <FormTextField
        form={form}
        name="email"
        label="Email (optional)"
        type="email"
        autoComplete="off"
        autoFocus
        hint="With an email, only that address can use the link (and it is mailed when the server has a mailer)."
      />
    </FormDialog>
  );
}

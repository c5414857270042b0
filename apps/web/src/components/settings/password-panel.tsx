// Changing the password: the current one, the new one twice. The server ends every other session of the
// account, and the confirmation says so; its refusals (a wrong current password, a common new one) are
// shown under the field they are about, once.
import { useMutation, useQueryClient } from "@tanstack/react-query";
import { useForm } from "react-hook-form";
import { inputResolver } from "../../lib/schema-form";
import { useTRPC, useTRPCClient } from "../../lib/trpc";
import { Button } from "../ui/button";
import { FormAlert, useFormAlert } from "../ui/form-alert";
import { FormTextField } from "../ui/form-field";
import {
  type ChangePasswordInput,
  type ChangePasswordResult,
  checkPasswordForm,
  emptyPasswordForm,
  passwordChangedMessage,
  passwordFieldOf,
} from "./password-form";

const resolver = inputResolver(checkPasswordForm, passwordFieldOf);

export function PasswordForm({
  change,
  onChanged,
}: {
  change: (input: ChangePasswordInput) => Promise<ChangePasswordResult>;
  onChanged?: (result: ChangePasswordResult) => void;
}) {
  const form = useForm({ defaultValues: emptyPasswordForm, resolver });
  const save = useMutation({
    mutationFn: (input: ChangePasswordInput) => change(input),
    onSuccess: (result) => {
      form.reset(emptyPasswordForm);
      onChanged?.(result);
    },
    // Shown under the fields (or in the alert) instead of the default toast.
    onError: () => {},
  });
  const alert = useFormAlert(form, passwordFieldOf, save.error);

  return (
    <form
      onSubmit={form.handleSubmit((input) => {
        save.reset();
        save.mutate(input);
      })}
      className="flex max-w-sm flex-col gap-3"
      noValidate
    >
      {/* Nothing can be typed over while the change is on its way. */}
      <fieldset disabled={save.isPending} className="flex flex-col gap-3">
        <FormTextField
          form={form}
          name="currentPassword"
          label="Current password"
          type="password"
          autoComplete="current-password"
          maxLength={128}
        />
        <FormTextField
          form={form}
          name="newPassword"
          label="New password"
          type="password"
          autoComplete="new-password"
          maxLength={128}
          hint="At least 8 characters, and not a common password."
        />
        <FormTextField
          form={form}
          name="confirmPassword"
          label="New password again"
          type="password"
          autoComplete="new-password"
          maxLength={128}
        />
      </fieldset>
      <FormAlert message={alert} />
      {save.isSuccess && (
        <p role="status" className="rounded-md bg-subtle px-3 py-2 text-sm">
          {passwordChangedMessage(save.data)}
        </p>
      )}
      <div>
        <Button type="submit" variant="primary" busy={save.isPending}>
          Change password
        </Button>
      </div>
    </form>
  );
}

export function PasswordPanel() {
  const trpc = useTRPC();
  const client = useTRPCClient();
  const queryClient = useQueryClient();
  return (
    // Named "Change password", not by its heading: "Password" alone is the label two-factor's field has.
    <section aria-label="Change password" className="flex flex-col gap-3">
      <h2 className="text-lg font-semibold">Password</h2>
      <p className="text-sm text-muted">Changing it signs you out everywhere else.</p>
      <PasswordForm
        change={(input) => client.auth.changePassword.mutate(input)}
        // The sessions tab lists the sessions that just ended until it asks again.
        onChanged={() => void queryClient.invalidateQueries({ queryKey: trpc.auth.sessions.queryKey() })}
      />
    </section>
  );
}

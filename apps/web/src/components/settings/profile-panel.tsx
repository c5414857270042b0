// Name, username, title and avatar of the signed-in user.
import { zUpdateProfileInput } from "@crewdeck/api/schemas";
import { useMutation, useQueryClient } from "@tanstack/react-query";
import { useForm } from "react-hook-form";
import { toast } from "sonner";
import { describeError, errorCode } from "../../lib/errors";
import { checkInput, inputResolver, sameNames } from "../../lib/schema-form";
import { useTRPC } from "../../lib/trpc";
import { Button } from "../ui/button";
import { FormAlert, useFormAlert } from "../ui/form-alert";
import { FormTextField } from "../ui/form-field";
import { type Profile, type ProfileForm, profileChanges, profileFormFrom } from "./profile-form";

const fieldOf = sameNames<ProfileForm>("name", "username", "title", "avatarUrl");

export function ProfilePanel({ profile }: { profile: Profile }) {
  const trpc = useTRPC();
  const queryClient = useQueryClient();
  const form = useForm({
    defaultValues: profileFormFrom(profile),
    // Only what changed since the profile as it is now is sent, checked by the server's schema.
    resolver: inputResolver(
      (values: ProfileForm) => checkInput(zUpdateProfileInput, profileChanges(profile, values)),
      fieldOf,
    ),
  });
  const save = useMutation(
    trpc.auth.updateMe.mutationOptions({
      onSuccess: (updated) => {
        queryClient.setQueryData(trpc.auth.me.queryKey(), updated);
        form.reset(profileFormFrom(updated));
        toast.success("Profile saved");
      },
      // Shown next to the fields instead of the default toast.
      onError: () => {},
    }),
  );
  // A taken username comes back as a conflict, not a field error; it still belongs under the field.
  const usernameTaken = errorCode(save.error) === "CONFLICT" ? describeError(save.error) : undefined;
  const alert = useFormAlert(form, fieldOf, usernameTaken ? null : save.error);
  const values = form.watch();
  const dirty = Object.keys(profileChanges(profile, values)).length > 0;

  return (
    <form
      onSubmit={form.handleSubmit((changes) => Object.keys(changes).length > 0 && save.mutate(changes))}
      className="flex max-w-xl flex-col gap-4"
    >
      <div className="flex items-center gap-3">
        {values.avatarUrl.trim() ? (
          <img
            src={values.avatarUrl.trim()}
            alt=""
            className="h-14 w-14 rounded-full border border-border object-cover"
          />
        ) : (
          <span
            aria-hidden
            className="flex h-14 w-14 items-center justify-center rounded-full bg-subtle text-lg font-semibold text-muted"
          >
            {(values.name.trim() || profile.email).charAt(0).toUpperCase()}
          </span>
        )}
        <div className="text-sm">
          <p className="font-medium">{profile.email}</p>
          <p className="text-muted">{profile.role === "admin" ? "Administrator" : "User"}</p>
        </div>
      </div>
      <FormTextField form={form} name="name" label="Name" maxLength={100} required autoComplete="name" />
      <FormTextField
        form={form}
        name="username"
        label="Username"
        maxLength={32}
        autoComplete="username"
        hint="3–32 letters, digits, '_' or '.'; you can sign in with it."
        error={usernameTaken}
      />
      <FormTextField form={form} name="title" label="Title" maxLength={100} placeholder="Engineering lead" />
      <FormTextField form={form} name="avatarUrl" label="Avatar URL" type="url" placeholder="https://…" />
      <FormAlert message={alert} />
      <div className="flex gap-2">
        <Button type="submit" variant="primary" busy={save.isPending} disabled={!dirty}>
          Save profile
        </Button>
        {dirty && (
          <Button onClick={() => form.reset(profileFormFrom(profile))} disabled={save.isPending}>
            Discard changes
          </Button>
        )}
      </div>
    </form>
  );
}

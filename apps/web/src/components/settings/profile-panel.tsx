// Name, username, title and avatar of the signed-in user.
import { useMutation, useQueryClient } from "@tanstack/react-query";
import { type FormEvent, useState } from "react";
import { toast } from "sonner";
import { describeError, errorCode, fieldErrors } from "../../lib/errors";
import { useTRPC } from "../../lib/trpc";
import { Button } from "../ui/button";
import { TextField } from "../ui/field";
import { type Profile, type ProfileForm, profileChanges, profileFormFrom } from "./profile-form";

export function ProfilePanel({ profile }: { profile: Profile }) {
  const trpc = useTRPC();
  const queryClient = useQueryClient();
  const [form, setForm] = useState<ProfileForm>(() => profileFormFrom(profile));
  const save = useMutation(
    trpc.auth.updateMe.mutationOptions({
      onSuccess: (updated) => {
        queryClient.setQueryData(trpc.auth.me.queryKey(), updated);
        setForm(profileFormFrom(updated));
        toast.success("Profile saved");
      },
      // Shown next to the fields instead of the default toast.
      onError: () => {},
    }),
  );
  const errors = fieldErrors(save.error);
  // A taken username comes back as a conflict, not a field error; it still belongs under the field.
  const usernameTaken = errorCode(save.error) === "CONFLICT" ? describeError(save.error) : undefined;
  const errorOf = (field: string) => errors.find((e) => e.field === field)?.message;
  const changes = profileChanges(profile, form);
  const dirty = Object.keys(changes).length > 0;
  const change = (field: keyof ProfileForm) => (e: { target: { value: string } }) =>
    setForm((current) => ({ ...current, [field]: e.target.value }));

  const submit = (event: FormEvent) => {
    event.preventDefault();
    if (dirty) save.mutate(changes);
  };

  return (
    <form onSubmit={submit} className="flex max-w-xl flex-col gap-4">
      <div className="flex items-center gap-3">
        {form.avatarUrl.trim() ? (
          <img
            src={form.avatarUrl.trim()}
            alt=""
            className="h-14 w-14 rounded-full border border-border object-cover"
          />
        ) : (
          <span
            aria-hidden
            className="flex h-14 w-14 items-center justify-center rounded-full bg-subtle text-lg font-semibold text-muted"
          >
            {(form.name.trim() || profile.email).charAt(0).toUpperCase()}
          </span>
        )}
        <div className="text-sm">
          <p className="font-medium">{profile.email}</p>
          <p className="text-muted">{profile.role === "admin" ? "Administrator" : "User"}</p>
        </div>
      </div>
      <TextField
        label="Name"
        value={form.name}
        onChange={change("name")}
        maxLength={100}
        required
        autoComplete="name"
        error={errorOf("name")}
      />
      <TextField
        label="Username"
        value={form.username}
        onChange={change("username")}
        maxLength={32}
        autoComplete="username"
        hint="3–32 letters, digits, '_' or '.'; you can sign in with it."
        error={errorOf("username") ?? usernameTaken}
      />
      <TextField
        label="Title"
        value={form.title}
        onChange={change("title")}
        maxLength={100}
        placeholder="Engineering lead"
        error={errorOf("title")}
      />
      <TextField
        label="Avatar URL"
        type="url"
        value={form.avatarUrl}
        onChange={change("avatarUrl")}
        placeholder="https://…"
        error={errorOf("avatarUrl")}
      />
      {save.error && errors.length === 0 && !usernameTaken && (
        <p role="alert" className="text-sm text-danger">
          {describeError(save.error)}
        </p>
      )}
      <div className="flex gap-2">
        <Button type="submit" variant="primary" busy={save.isPending} disabled={!dirty}>
          Save profile
        </Button>
        {dirty && (
          <Button onClick={() => setForm(profileFormFrom(profile))} disabled={save.isPending}>
            Discard changes
          </Button>
        )}
      </div>
    </form>
  );
}

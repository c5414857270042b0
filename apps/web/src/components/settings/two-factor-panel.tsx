// Two-factor sign-in. Turning it on takes the password, then shows the authenticator QR code (and its
// secret for typing in), the backup codes, and asks for a first code: only that code switches it on
// (§2.1). Turning it on or off replaces the session, so the new tokens are taken over here.
import { useMutation, useQueryClient } from "@tanstack/react-query";
import { QRCodeSVG } from "qrcode.react";
import { type FormEvent, useState } from "react";
import { toast } from "sonner";
import { useServices } from "../../lib/app-context";
import { describeError } from "../../lib/errors";
import { type RouterOutputs, useTRPC } from "../../lib/trpc";
import { Badge } from "../ui/badge";
import { Button } from "../ui/button";
import { TextField } from "../ui/field";
import { CopyButton } from "./copy-button";
import { PasswordConfirmedButton } from "./password-confirmed-button";
import type { Profile } from "./profile-form";
import { groupSecret, totpSecret } from "./settings-helpers";

type Setup = RouterOutputs["auth"]["enableTwoFactor"];

function useAfterSessionReplaced() {
  const trpc = useTRPC();
  const queryClient = useQueryClient();
  const { session } = useServices();
  return (tokens: RouterOutputs["auth"]["verifyTwoFactor"], message: string) => {
    session.accept(tokens);
    // The token response carries the updated user: show the new state at once, then refetch the rest.
    queryClient.setQueryData(trpc.auth.me.queryKey(), (profile) => profile && { ...profile, ...tokens.user });
    void queryClient.invalidateQueries({ queryKey: trpc.auth.pathKey() });
    toast.success(message);
  };
}

function SetupSteps({ setup, onDone, onCancel }: { setup: Setup; onDone: () => void; onCancel: () => void }) {
  const trpc = useTRPC();
  const replaced = useAfterSessionReplaced();
  const [code, setCode] = useState("");
  const secret = totpSecret(setup.totpUri);
  const confirm = useMutation(
    trpc.auth.verifyTwoFactor.mutationOptions({
      onSuccess: (tokens) => {
        replaced(tokens, "Two-factor authentication is on");
        onDone();
      },
      onError: () => {},
    }),
  );
  const submit = (event: FormEvent) => {
    event.preventDefault();
    confirm.mutate({ code: code.trim() });
  };

  return (
    <div className="flex flex-col gap-5">
      <section aria-labelledby="twofa-scan" className="flex flex-col gap-2">
        <h3 id="twofa-scan" className="font-medium">
          1. Scan this code with your authenticator app
        </h3>
        {/* White behind the code in dark mode too: scanners need the contrast. */}
        <div className="w-fit rounded-lg bg-white p-3">
          <QRCodeSVG value={setup.totpUri} size={176} title="QR code for your authenticator app" />
        </div>
        {secret && (
          <div className="flex flex-wrap items-center gap-2 text-sm">
            <span className="text-muted">Or enter this secret:</span>
            <code className="select-all rounded bg-subtle px-2 py-1 font-mono">{groupSecret(secret)}</code>
            <CopyButton text={secret} label="Copy secret" />
          </div>
        )}
      </section>

      <section aria-labelledby="twofa-backup" className="flex flex-col gap-2">
        <h3 id="twofa-backup" className="font-medium">
          2. Keep your backup codes
        </h3>
        <p className="text-sm text-muted">
          Each signs you in once if you lose your authenticator. They are not shown again.
        </p>
        <ul
          aria-label="Backup codes"
          className="grid w-fit grid-cols-2 gap-x-6 gap-y-1 rounded-md bg-subtle p-3 font-mono text-sm"
        >
          {setup.backupCodes.map((backupCode) => (
            <li key={backupCode}>{backupCode}</li>
          ))}
        </ul>
        <div>
          <CopyButton text={setup.backupCodes.join("\n")} label="Copy backup codes" />
        </div>
      </section>

      <form onSubmit={submit} aria-labelledby="twofa-confirm" className="flex max-w-sm flex-col gap-3">
        <h3 id="twofa-confirm" className="font-medium">
          3. Enter the code your app shows
        </h3>
        <TextField
          label="Code"
          value={code}
          onChange={(e) => setCode(e.target.value)}
          autoComplete="one-time-code"
          inputMode="numeric"
          required
          error={confirm.error ? describeError(confirm.error) : null}
        />
        <div className="flex gap-2">
          <Button type="submit" variant="primary" busy={confirm.isPending} disabled={code.trim().length < 6}>
            Turn on two-factor authentication
          </Button>
          <Button onClick={onCancel} disabled={confirm.isPending}>
            Cancel
          </Button>
        </div>
      </form>
    </div>
  );
}

function EnableForm({ onSetup }: { onSetup: (setup: Setup) => void }) {
  const trpc = useTRPC();
  const [password, setPassword] = useState("");
  const enable = useMutation(
    trpc.auth.enableTwoFactor.mutationOptions({ onSuccess: onSetup, onError: () => {} }),
  );
  const submit = (event: FormEvent) => {
    event.preventDefault();
    enable.mutate({ password });
  };
  return (
    <form onSubmit={submit} className="flex max-w-sm flex-col gap-3">
      <p className="text-sm text-muted">
        Signing in will also ask for a code from an authenticator app on your phone.
      </p>
      <TextField
        label="Password"
        type="password"
        autoComplete="current-password"
        value={password}
        onChange={(e) => setPassword(e.target.value)}
        required
        error={enable.error ? describeError(enable.error) : null}
      />
      <div>
        <Button type="submit" variant="primary" busy={enable.isPending} disabled={!password}>
          Set up two-factor authentication
        </Button>
      </div>
    </form>
  );
}

function DisableForm() {
  const trpc = useTRPC();
  const replaced = useAfterSessionReplaced();
  const disable = useMutation(
    trpc.auth.disableTwoFactor.mutationOptions({
      onSuccess: (tokens) => replaced(tokens, "Two-factor authentication is off"),
    }),
  );
  return (
    <PasswordConfirmedButton
      label="Password"
      hint="Needed to turn two-factor authentication off."
      title="Turn off two-factor authentication?"
      description="Signing in will take only your password again. You can turn it back on at any time."
      confirmLabel="Turn off"
      onConfirm={(password) => disable.mutateAsync({ password })}
    >
      Turn off two-factor authentication
    </PasswordConfirmedButton>
  );
}

export function TwoFactorPanel({ profile }: { profile: Profile }) {
  const [setup, setSetup] = useState<Setup | null>(null);
  return (
    <section aria-labelledby="twofa-heading" className="flex flex-col gap-3">
      <div className="flex items-center gap-2">
        <h2 id="twofa-heading" className="text-lg font-semibold">
          Two-factor authentication
        </h2>
        <Badge tone={profile.twoFactorEnabled ? "ok" : "neutral"}>
          {profile.twoFactorEnabled ? "On" : "Off"}
        </Badge>
      </div>
      {profile.twoFactorEnabled ? (
        <DisableForm />
      ) : setup ? (
        <SetupSteps setup={setup} onDone={() => setSetup(null)} onCancel={() => setSetup(null)} />
      ) : (
        <EnableForm onSetup={setSetup} />
      )}
    </section>
  );
}

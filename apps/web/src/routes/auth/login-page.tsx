// Sign in by email or username; when the account has two-factor authentication, a second step asks for
// the code from the authenticator app (or a backup code).
import { useMutation } from "@tanstack/react-query";
import { type FormEvent, useState } from "react";
import { Link, Navigate, useNavigate, useSearchParams } from "react-router";
import { Button } from "../../components/ui/button";
import { TextField } from "../../components/ui/field";
import { useServices, useSignedIn } from "../../lib/app-context";
import { describeError } from "../../lib/errors";
import { useTRPC } from "../../lib/trpc";
import { usePageTitle } from "../../lib/use-page-title";
import { AuthFrame, nextPath } from "./auth-frame";

export default function LoginPage() {
  usePageTitle("Sign in");
  const trpc = useTRPC();
  const { session } = useServices();
  const signedIn = useSignedIn();
  const navigate = useNavigate();
  const [search] = useSearchParams();
  const [identifier, setIdentifier] = useState("");
  const [password, setPassword] = useState("");
  const [code, setCode] = useState("");
  const [challenge, setChallenge] = useState<string | null>(null);

  const done = () => navigate(nextPath(search), { replace: true });
  const login = useMutation(
    trpc.auth.login.mutationOptions({
      onError: () => {}, // shown in the form, once
      onSuccess: (result) => {
        if (result.requires_2fa) return setChallenge(result.temp_token);
        session.accept(result);
        done();
      },
    }),
  );
  const verify = useMutation(
    trpc.auth.verifyTwoFactor.mutationOptions({
      onError: () => {}, // shown under the code, once
      onSuccess: (tokens) => {
        session.accept(tokens);
        done();
      },
    }),
  );

  if (signedIn && !login.isPending && !verify.isPending) return <Navigate to={nextPath(search)} replace />;

  const submit = (event: FormEvent) => {
    event.preventDefault();
    const id = identifier.trim();
    login.mutate(id.includes("@") ? { email: id, password } : { username: id, password });
  };
  const submitCode = (event: FormEvent) => {
    event.preventDefault();
    if (challenge) verify.mutate({ temp_token: challenge, code: code.trim() });
  };

  if (challenge) {
    return (
      <AuthFrame
        title="Two-factor authentication"
        footer={
          <button type="button" className="text-accent underline" onClick={() => setChallenge(null)}>
            Back to sign in
          </button>
        }
      >
        <form onSubmit={submitCode} className="flex flex-col gap-4">
          <p className="text-sm text-muted">
            Enter the 6-digit code from your authenticator app, or a backup code.
          </p>
          <TextField
            label="Code"
            value={code}
            onChange={(e) => setCode(e.target.value)}
            autoComplete="one-time-code"
            inputMode="numeric"
            autoFocus
            required
            error={verify.error ? describeError(verify.error) : null}
          />
          <Button type="submit" variant="primary" busy={verify.isPending}>
            Verify
          </Button>
        </form>
      </AuthFrame>
    );
  }

  return (
    <AuthFrame
      title="Sign in"
      footer={
        <>
          New here?{" "}
          <Link to={`/register${search.size ? `?${search}` : ""}`} className="text-accent underline">
            Create an account
          </Link>
        </>
      }
    >
      <form onSubmit={submit} className="flex flex-col gap-4">
        {search.get("verified") === "1" && (
          <p role="status" className="text-sm text-ok">
            Your email address is confirmed. Sign in to continue.
          </p>
        )}
        <TextField
          label="Email or username"
          value={identifier}
          onChange={(e) => setIdentifier(e.target.value)}
          autoComplete="username"
          autoFocus
          required
        />
        <TextField
          label="Password"
          type="password"
          value={password}
          onChange={(e) => setPassword(e.target.value)}
          autoComplete="current-password"
          required
        />
        {login.error && (
          <p role="alert" className="text-sm text-danger">
            {describeError(login.error)}
          </p>
        )}
        <Button type="submit" variant="primary" busy={login.isPending}>
          Sign in
        </Button>
      </form>
    </AuthFrame>
  );
}

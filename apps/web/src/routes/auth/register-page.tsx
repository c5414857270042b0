// Create an account; the first account of a fresh install becomes its administrator. Who else may sign up
// follows the site's mode: anyone, holders of an invitation link (`/invite/<token>`), or nobody.
import { useMutation, useQuery } from "@tanstack/react-query";
import { type FormEvent, useState } from "react";
import { Link, Navigate, useLocation, useNavigate, useParams, useSearchParams } from "react-router";
import { invitationTokenOf, signUpView } from "../../components/invitations/sign-up-state";
import { Button } from "../../components/ui/button";
import { TextField } from "../../components/ui/field";
import { Loading } from "../../components/ui/states";
import { useServices, useSignedIn } from "../../lib/app-context";
import { describeError, fieldErrorLookup } from "../../lib/errors";
import { useTRPC } from "../../lib/trpc";
import { usePageTitle } from "../../lib/use-page-title";
import { useTextFields } from "../../lib/use-text-fields";
import { AuthFrame, nextPath } from "./auth-frame";

export default function RegisterPage() {
  usePageTitle("Create an account");
  const trpc = useTRPC();
  const { session } = useServices();
  const signedIn = useSignedIn();
  const navigate = useNavigate();
  const [search] = useSearchParams();
  const location = useLocation();
  const invitationToken = invitationTokenOf(useParams().token, search);
  const mode = useQuery(trpc.auth.signupMode.queryOptions());
  const [form, , set] = useTextFields({ name: "", username: "", email: "", password: "" });
  const [verifyAt, setVerifyAt] = useState<string | null>(null);
  const register = useMutation(
    trpc.auth.register.mutationOptions({
      onError: () => {}, // shown in the form
      onSuccess: (result) => {
        if ("requires_email_verification" in result) return setVerifyAt(result.email);
        session.accept(result);
        navigate(nextPath(search), { replace: true });
      },
    }),
  );
  if (signedIn && !register.isPending) return <Navigate to={nextPath(search)} replace />;

  // From an invitation link, signing in comes back to it, to accept it with the existing account.
  const loginTo = invitationToken
    ? `/login?next=${encodeURIComponent(`${location.pathname}${location.search}`)}`
    : `/login${search.size ? `?${search}` : ""}`;
  const signInLink = (
    <>
      Already have an account?{" "}
      <Link to={loginTo} className="text-accent underline">
        Sign in
      </Link>
    </>
  );
  if (verifyAt) {
    return (
      <AuthFrame title="Check your email" footer={signInLink}>
        <p role="status" className="text-sm">
          We sent a link to <strong>{verifyAt}</strong>. Open it to confirm your address, then sign in.
        </p>
      </AuthFrame>
    );
  }
  const view = mode.error ? "form" : signUpView(mode.data, invitationToken);
  if (view === "loading") return <Loading label="Loading…" />;
  if (view !== "form") {
    return (
      <AuthFrame title="Create your account" footer={signInLink}>
        <p role="status" className="text-sm">
          {view === "closed"
            ? "Sign-up is closed on this server. Ask an administrator for an account."
            : "Sign-up on this server is by invitation. Ask an administrator or a project owner for an invitation link, and open it to create your account."}
        </p>
      </AuthFrame>
    );
  }

  const { errors, errorOf } = fieldErrorLookup(register.error);
  const submit = (event: FormEvent) => {
    event.preventDefault();
    register.mutate({
      email: form.email.trim(),
      username: form.username.trim(),
      password: form.password,
      ...(form.name.trim() ? { name: form.name.trim() } : {}),
      ...(invitationToken && { invitationToken }),
    });
  };

  return (
    <AuthFrame title="Create your account" footer={signInLink}>
      {invitationToken && (
        <p className="mb-4 text-sm text-muted">You were invited: your account is created with this link.</p>
      )}
      <form onSubmit={submit} className="flex flex-col gap-4" noValidate>
        <TextField
          label="Name"
          value={form.name}
          onChange={set("name")}
          autoComplete="name"
          error={errorOf("name")}
        />
        <TextField
          label="Username"
          value={form.username}
          onChange={set("username")}
          autoComplete="username"
          required
          error={errorOf("username")}
        />
        <TextField
          label="Email"
          type="email"
          value={form.email}
          onChange={set("email")}
          autoComplete="email"
          required
          error={errorOf("email")}
        />
        <TextField
          label="Password"
          type="password"
          value={form.password}
          onChange={set("password")}
          autoComplete="new-password"
          required
          hint="At least 8 characters."
          error={errorOf("password")}
        />
        {register.error && errors.length === 0 && (
          <p role="alert" className="text-sm text-danger">
            {describeError(register.error)}
          </p>
        )}
        <Button type="submit" variant="primary" busy={register.isPending}>
          Create account
        </Button>
      </form>
    </AuthFrame>
  );
}

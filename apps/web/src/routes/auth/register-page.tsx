// Create an account; the first account of a fresh install becomes its administrator.
import { useMutation } from "@tanstack/react-query";
import { type FormEvent, useState } from "react";
import { Link, Navigate, useNavigate, useSearchParams } from "react-router";
import { Button } from "../../components/ui/button";
import { TextField } from "../../components/ui/field";
import { useServices, useSignedIn } from "../../lib/app-context";
import { describeError, fieldErrors } from "../../lib/errors";
import { useTRPC } from "../../lib/trpc";
import { AuthFrame, nextPath } from "./auth-frame";

export default function RegisterPage() {
  const trpc = useTRPC();
  const { session } = useServices();
  const signedIn = useSignedIn();
  const navigate = useNavigate();
  const [search] = useSearchParams();
  const [form, setForm] = useState({ name: "", username: "", email: "", password: "" });
  const register = useMutation(
    trpc.auth.register.mutationOptions({
      onSuccess: (tokens) => {
        session.accept(tokens);
        navigate(nextPath(search), { replace: true });
      },
    }),
  );
  if (signedIn && !register.isPending) return <Navigate to={nextPath(search)} replace />;

  const errors = fieldErrors(register.error);
  const errorOf = (field: string) => errors.find((e) => e.field === field)?.message;
  const set = (key: keyof typeof form) => (event: { target: { value: string } }) =>
    setForm((f) => ({ ...f, [key]: event.target.value }));
  const submit = (event: FormEvent) => {
    event.preventDefault();
    register.mutate({
      email: form.email.trim(),
      username: form.username.trim(),
      password: form.password,
      ...(form.name.trim() ? { name: form.name.trim() } : {}),
    });
  };

  return (
    <AuthFrame
      title="Create your account"
      footer={
        <>
          Already have an account?{" "}
          <Link to={`/login${search.size ? `?${search}` : ""}`} className="text-accent underline">
            Sign in
          </Link>
        </>
      }
    >
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

// The site's GitHub configuration: the OAuth app people connect through (and the GitHub App and webhook
// secret the other GitHub features use). Secrets are stored encrypted and only ever shown as "set".
import { useMutation, useQuery, useQueryClient } from "@tanstack/react-query";
import type { FormEvent } from "react";
import { toast } from "sonner";
import { describeError, fieldErrorLookup } from "../../lib/errors";
import { type RouterOutputs, useTRPC } from "../../lib/trpc";
import { useTextFields } from "../../lib/use-text-fields";
import { Badge } from "../ui/badge";
import { Button } from "../ui/button";
import { ConfirmButton } from "../ui/dialog";
import { TextAreaField, TextField } from "../ui/field";
import { QueryState } from "../ui/states";
import { githubIssuesHere } from "./github-labels";

type Settings = RouterOutputs["github"]["settings"]["get"];

const SOURCE = {
  admin: "Settings stored here",
  environment: "From the server's environment (GITHUB_*)",
} as const;

export function GitHubSection() {
  const trpc = useTRPC();
  const settings = useQuery(trpc.github.settings.get.queryOptions());
  return (
    <section id="github" aria-labelledby="github-admin-heading" className="flex flex-col gap-3">
      <div>
        <h2 id="github-admin-heading" className="text-lg font-semibold">
          GitHub configuration
        </h2>
        <p className="text-sm text-muted">
          The OAuth app people connect their GitHub accounts through. Secrets are stored encrypted and never
          shown again.
        </p>
      </div>
      <QueryState query={settings} loading="Loading the GitHub configuration…">
        {(current) => <GitHubForm key={`${current.source}-${current.clientId}`} current={current} />}
      </QueryState>
    </section>
  );
}

const blank = { clientSecret: "", appPrivateKey: "", webhookSecret: "" };

function GitHubForm({ current }: { current: Settings }) {
  const trpc = useTRPC();
  const queryClient = useQueryClient();
  const [form, , set] = useTextFields({
    webUrl: current.webUrl,
    apiUrl: current.apiUrl,
    clientId: current.clientId ?? "",
    appId: current.appId ?? "",
    ...blank,
  });
  const refresh = () => {
    void queryClient.invalidateQueries({ queryKey: trpc.github.pathKey() });
    void queryClient.invalidateQueries({ queryKey: trpc.health.pathKey() });
  };
  const save = useMutation(
    trpc.github.settings.update.mutationOptions({
      onError: () => {}, // shown next to the fields
      onSuccess: () => {
        refresh();
        toast.success("GitHub settings saved");
      },
    }),
  );
  const reset = useMutation(
    trpc.github.settings.delete.mutationOptions({
      onSuccess: () => {
        refresh();
        toast.success("GitHub uses the server's environment again");
      },
    }),
  );
  const { errors, errorOf } = fieldErrorLookup(save.error);
  const submit = (event: FormEvent) => {
    event.preventDefault();
    // Empty secret fields keep what is stored; other fields are sent as they are (empty forgets them).
    const text = (value: string) => value.trim() || null;
    save.mutate({
      webUrl: text(form.webUrl),
      apiUrl: text(form.apiUrl),
      clientId: text(form.clientId),
      appId: text(form.appId),
      ...(form.clientSecret.trim() && { clientSecret: form.clientSecret.trim() }),
      ...(form.appPrivateKey.trim() && { appPrivateKey: form.appPrivateKey.trim() }),
      ...(form.webhookSecret.trim() && { webhookSecret: form.webhookSecret.trim() }),
    });
  };
  const secretHint = (isSet: boolean) => (isSet ? "Set. Leave empty to keep it." : "Not set.");

  return (
    <form
      onSubmit={submit}
      aria-label="GitHub configuration"
      className="flex flex-col gap-3 rounded-lg border border-border bg-surface p-4"
    >
      <div className="flex flex-wrap items-center gap-2">
        <Badge tone={current.oauthConfigured ? "ok" : "warn"}>
          {current.oauthConfigured ? "People can connect" : "Not configured"}
        </Badge>
        <span className="text-xs text-muted">{SOURCE[current.source]}</span>
      </div>
      {githubIssuesHere(current).map((issue) => (
        <p key={issue} className="rounded-md bg-warn-bg px-3 py-2 text-sm text-warn">
          {issue}
        </p>
      ))}
      <p className="text-sm text-muted">
        Register the OAuth app's callback URL as <code className="break-all">{current.callbackUrl}</code>.
      </p>
      <div className="grid gap-3 md:grid-cols-2">
        <TextField
          label="Client ID"
          value={form.clientId}
          onChange={set("clientId")}
          error={errorOf("clientId")}
        />
        <TextField
          label="Client secret"
          type="password"
          autoComplete="off"
          value={form.clientSecret}
          onChange={set("clientSecret")}
          hint={secretHint(current.oauthConfigured)}
          error={errorOf("clientSecret")}
        />
        <TextField
          label="GitHub web URL"
          type="url"
          value={form.webUrl}
          onChange={set("webUrl")}
          error={errorOf("webUrl")}
        />
        <TextField
          label="GitHub API URL"
          type="url"
          value={form.apiUrl}
          onChange={set("apiUrl")}
          error={errorOf("apiUrl")}
        />
        <TextField
          label="App ID (optional)"
          value={form.appId}
          onChange={set("appId")}
          error={errorOf("appId")}
        />
        <TextField
          label="Webhook secret (optional)"
          type="password"
          autoComplete="off"
          value={form.webhookSecret}
          onChange={set("webhookSecret")}
          hint={secretHint(current.webhookConfigured)}
          error={errorOf("webhookSecret")}
        />
      </div>
      <TextAreaField
        label="App private key (optional)"
        value={form.appPrivateKey}
        onChange={set("appPrivateKey")}
        hint={secretHint(current.appConfigured)}
        error={errorOf("appPrivateKey")}
        spellCheck={false}
      />
      {save.error && errors.length === 0 && (
        <p role="alert" className="text-sm text-danger">
          {describeError(save.error)}
        </p>
      )}
      <div className="flex flex-wrap justify-end gap-2">
        {current.source === "admin" && (
          <ConfirmButton
            variant="secondary"
            title="Forget the GitHub settings set here?"
            description="The settings stored here are deleted; the server's environment (GITHUB_*) applies again."
            confirmLabel="Forget settings"
            onConfirm={() => reset.mutateAsync()}
          >
            Forget settings
          </ConfirmButton>
        )}
        <Button type="submit" variant="primary" busy={save.isPending}>
          Save GitHub settings
        </Button>
      </div>
    </form>
  );
}

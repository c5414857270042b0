// The model providers the crews call: whether each can be used, where its settings come from, and a form
// to set its key and base URL here (stored encrypted; they win over the server's environment).
import { useMutation, useQuery, useQueryClient } from "@tanstack/react-query";
import type { FormEvent } from "react";
import { toast } from "sonner";
import { describeError, fieldErrorLookup } from "../../lib/errors";
import { useTRPC } from "../../lib/trpc";
import { useTextFields } from "../../lib/use-text-fields";
import { Badge } from "../ui/badge";
import { Button } from "../ui/button";
import { ConfirmButton } from "../ui/dialog";
import { TextField } from "../ui/field";
import { QueryState } from "../ui/states";
import {
  PROVIDER_NAMES,
  type ProviderDescription,
  providerChange,
  providerIssueHere,
  SOURCE_LABELS,
} from "./provider-labels";

export function ProvidersSection() {
  const trpc = useTRPC();
  const providers = useQuery(trpc.providers.list.queryOptions());
  return (
    <section id="providers" aria-labelledby="providers-heading" className="flex flex-col gap-3">
      <div>
        <h2 id="providers-heading" className="text-lg font-semibold">
          Model providers
        </h2>
        <p className="text-sm text-muted">
          The agents answer through these. Keys are stored encrypted and never shown again.
        </p>
      </div>
      <QueryState query={providers} loading="Loading the providers…">
        {({ items }) => (
          <div className="grid gap-4 lg:grid-cols-2">
            {items.map((provider) => (
              <ProviderCard key={provider.provider} provider={provider} />
            ))}
          </div>
        )}
      </QueryState>
    </section>
  );
}

function ProviderCard({ provider }: { provider: ProviderDescription }) {
  const trpc = useTRPC();
  const queryClient = useQueryClient();
  const label = PROVIDER_NAMES[provider.provider];
  const [form, setForm, set] = useTextFields({ apiKey: "", baseUrl: provider.baseUrl ?? "" });
  const refresh = (described: ProviderDescription) => {
    setForm({ apiKey: "", baseUrl: described.baseUrl ?? "" });
    void queryClient.invalidateQueries({ queryKey: trpc.providers.list.queryKey() });
    void queryClient.invalidateQueries({ queryKey: trpc.health.pathKey() });
  };
  const save = useMutation(
    trpc.providers.update.mutationOptions({
      onError: () => {}, // shown next to the fields
      onSuccess: (described) => {
        refresh(described);
        toast.success(`${label.name} settings saved`);
      },
    }),
  );
  const reset = useMutation(
    trpc.providers.delete.mutationOptions({
      onSuccess: (described) => {
        refresh(described);
        toast.success(`${label.name} uses the server's environment again`);
      },
    }),
  );
  const { errors, errorOf } = fieldErrorLookup(save.error);
  const submit = (event: FormEvent) => {
    event.preventDefault();
    save.mutate(providerChange(form, provider));
  };

  return (
    <form
      onSubmit={submit}
      aria-label={label.name}
      className="flex flex-col gap-3 rounded-lg border border-border bg-surface p-4"
    >
      <div className="flex flex-wrap items-center gap-2">
        <h3 className="font-semibold">{label.name}</h3>
        <Badge tone={provider.configured ? "ok" : "warn"}>
          {provider.configured ? "Ready" : "Not ready"}
        </Badge>
        <span className="text-xs text-muted">{SOURCE_LABELS[provider.source]}</span>
      </div>
      <p className="text-sm text-muted">{label.detail}</p>
      {provider.issue && (
        <p className="rounded-md bg-warn-bg px-3 py-2 text-sm text-warn">{providerIssueHere(provider)}</p>
      )}
      <TextField
        label="API key"
        type="password"
        autoComplete="off"
        value={form.apiKey}
        onChange={set("apiKey")}
        placeholder={provider.keyHint ? `Key in use ${provider.keyHint}` : "Paste the key"}
        hint={
          provider.source === "admin"
            ? "Leave empty to keep the stored key."
            : provider.source === "environment"
              ? "A key saved here replaces the environment's."
              : undefined
        }
        error={errorOf("apiKey")}
      />
      <TextField
        label="Base URL (optional)"
        type="url"
        value={form.baseUrl}
        onChange={set("baseUrl")}
        placeholder={
          provider.provider === "openai" ? "http://localhost:11434/v1" : "https://api.anthropic.com"
        }
        error={errorOf("baseUrl")}
      />
      {save.error && errors.length === 0 && (
        <p role="alert" className="text-sm text-danger">
          {describeError(save.error)}
        </p>
      )}
      <div className="flex flex-wrap justify-end gap-2">
        {provider.source === "admin" && (
          <ConfirmButton
            variant="secondary"
            title={`Forget the ${label.name} settings set here?`}
            description="The key and base URL stored here are deleted; the server's environment applies again."
            confirmLabel="Forget settings"
            onConfirm={() => reset.mutateAsync({ provider: provider.provider })}
          >
            Forget settings
          </ConfirmButton>
        )}
        <Button type="submit" variant="primary" busy={save.isPending}>
          Save {label.name}
        </Button>
      </div>
    </form>
  );
}

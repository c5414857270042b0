// The agent's settings: model, sampling, output length, its own prompt and rules file. Checked here first
// (agent-form.ts), and the server's field errors shown on the same inputs.
import { useMutation, useQuery, useQueryClient } from "@tanstack/react-query";
import { type FormEvent, useState } from "react";
import { toast } from "sonner";
import { describeError, type FieldError, fieldErrors } from "../../lib/errors";
import { formatTokens } from "../../lib/format";
import { type RouterOutputs, useTRPC } from "../../lib/trpc";
import { Button } from "../ui/button";
import { SelectField, TextAreaField, TextField } from "../ui/field";
import {
  AGENT_FIELDS,
  type AgentFormValues,
  agentFormValues,
  MAX_MAX_TOKENS,
  readAgentForm,
} from "./agent-form";
import { ModelOptions } from "./model-options";

type Agent = RouterOutputs["agents"]["list"]["items"][number];

export function AgentEditForm({ agent, onDone }: { agent: Agent; onDone: () => void }) {
  const trpc = useTRPC();
  const queryClient = useQueryClient();
  const models = useQuery(trpc.models.list.queryOptions({}));
  const [values, setValues] = useState<AgentFormValues>(() => agentFormValues(agent));
  const [checked, setChecked] = useState<FieldError[]>([]);
  const update = useMutation(
    trpc.agents.update.mutationOptions({
      // Shown in the form, next to what to fix, rather than as a toast.
      onError: () => {},
      onSuccess: (saved) => {
        void queryClient.invalidateQueries({ queryKey: trpc.agents.pathKey() });
        toast.success(`${saved.name} updated`);
        onDone();
      },
    }),
  );

  const chosenModel = models.data?.items.find((model) => model.id === values.model);
  const errors = [...checked, ...fieldErrors(update.error)];
  const errorFor = (field: string) => errors.find((error) => error.field === field)?.message;
  const set = (key: keyof AgentFormValues) => (event: { target: { value: string } }) =>
    setValues((current) => ({ ...current, [key]: event.target.value }));

  const submit = (event: FormEvent) => {
    event.preventDefault();
    update.reset();
    const result = readAgentForm(values, chosenModel?.maxOutputTokens);
    if (!result.ok) {
      setChecked(result.errors);
      return;
    }
    setChecked([]);
    update.mutate({ projectId: agent.projectId, agentId: agent.id, ...result.changes });
  };

  const formError =
    update.error && fieldErrors(update.error).length === 0 ? describeError(update.error) : null;

  return (
    <form onSubmit={submit} noValidate className="flex flex-col gap-4">
      <SelectField
        label="Model"
        value={values.model}
        onChange={set("model")}
        disabled={models.isPending}
        error={errorFor(AGENT_FIELDS.model)}
        hint={
          models.error
            ? "The model catalog could not be loaded; the current model is kept."
            : chosenModel
              ? `${formatTokens(chosenModel.contextWindow)} tokens of context`
              : undefined
        }
      >
        <ModelOptions models={models.data?.items ?? []} current={agent.modelConfig.model} />
      </SelectField>

      <div className="grid gap-4 sm:grid-cols-2">
        <TextField
          label="Temperature"
          type="number"
          inputMode="decimal"
          step={0.1}
          min={0}
          max={2}
          value={values.temperature}
          onChange={set("temperature")}
          error={errorFor(AGENT_FIELDS.temperature)}
          hint="0 is focused and repeatable, 2 the most varied."
        />
        <TextField
          label="Max tokens"
          type="number"
          inputMode="numeric"
          step={1}
          min={100}
          max={chosenModel?.maxOutputTokens ?? MAX_MAX_TOKENS}
          value={values.maxTokens}
          onChange={set("maxTokens")}
          error={errorFor(AGENT_FIELDS.maxTokens)}
          hint={`The longest answer, up to ${formatTokens(Math.min(chosenModel?.maxOutputTokens ?? MAX_MAX_TOKENS, MAX_MAX_TOKENS))}.`}
        />
      </div>

      <TextAreaField
        label="System prompt"
        rows={8}
        value={values.systemPrompt}
        onChange={set("systemPrompt")}
        placeholder={agent.defaultSystemPrompt}
        error={errorFor(AGENT_FIELDS.systemPrompt)}
        hint="Leave it empty to use the role's default prompt, shown greyed out."
      />

      <TextField
        label="Rules file path"
        value={values.rulesFilePath}
        onChange={set("rulesFilePath")}
        placeholder="CLAUDE.md"
        error={errorFor(AGENT_FIELDS.rulesFilePath)}
        hint="A file in the project's repository whose content is added to the prompt, e.g. CLAUDE.md or .cursorrules."
      />

      {formError && (
        <p role="alert" className="text-sm text-danger">
          {formError}
        </p>
      )}

      <div className="flex justify-end gap-2">
        <Button onClick={onDone}>Cancel</Button>
        <Button type="submit" variant="primary" busy={update.isPending}>
          Save agent
        </Button>
      </div>
    </form>
  );
}

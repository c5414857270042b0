// The agent's settings: model, sampling, output length, its own prompt and rules file. Checked by the
// server's schema (agent-form.ts), and the server's field errors shown on the same inputs.
import { useMutation, useQuery, useQueryClient } from "@tanstack/react-query";
import { useForm } from "react-hook-form";
import { toast } from "sonner";
import { formatTokens } from "../../lib/format";
import { inputResolver } from "../../lib/schema-form";
import { type RouterOutputs, useTRPC } from "../../lib/trpc";
import { Button } from "../ui/button";
import { FormAlert, useFormAlert } from "../ui/form-alert";
import { FormSelectField, FormTextAreaField, FormTextField } from "../ui/form-field";
import {
  type AgentFormValues,
  agentFormField,
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
  const modelOf = (id: string) => models.data?.items.find((model) => model.id === id);
  const form = useForm({
    defaultValues: agentFormValues(agent),
    // Checked against the model chosen at the time of the check, whose output limit may be lower.
    resolver: inputResolver((values: AgentFormValues) => {
      const read = readAgentForm(values, modelOf(values.model)?.maxOutputTokens);
      return read.ok
        ? { ok: true, value: { projectId: agent.projectId, agentId: agent.id, ...read.changes } }
        : read;
    }, agentFormField),
  });
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
  const alert = useFormAlert(form, agentFormField, update.error);
  const chosenModel = modelOf(form.watch("model"));

  return (
    <form
      onSubmit={form.handleSubmit((input) => {
        update.reset();
        update.mutate(input);
      })}
      noValidate
      className="flex flex-col gap-4"
    >
      <FormSelectField
        form={form}
        name="model"
        label="Model"
        // Held by value: the catalog's options replace the placeholder for the current model once loaded.
        value={form.watch("model")}
        disabled={models.isPending}
        hint={
          models.error
            ? "The model catalog could not be loaded; the current model is kept."
            : chosenModel
              ? `${formatTokens(chosenModel.contextWindow)} tokens of context`
              : undefined
        }
      >
        <ModelOptions models={models.data?.items ?? []} current={agent.modelConfig.model} />
      </FormSelectField>

      <div className="grid gap-4 sm:grid-cols-2">
        <FormTextField
          form={form}
          name="temperature"
          label="Temperature"
          type="number"
          inputMode="decimal"
          step={0.1}
          min={0}
          max={2}
          hint="0 is focused and repeatable, 2 the most varied."
        />
        <FormTextField
          form={form}
          name="maxTokens"
          label="Max tokens"
          type="number"
          inputMode="numeric"
          step={1}
          min={100}
          max={chosenModel?.maxOutputTokens ?? MAX_MAX_TOKENS}
          hint={`The longest answer, up to ${formatTokens(Math.min(chosenModel?.maxOutputTokens ?? MAX_MAX_TOKENS, MAX_MAX_TOKENS))}.`}
        />
      </div>

      <FormTextAreaField
        form={form}
        name="systemPrompt"
        label="System prompt"
        maxLength={20_000}
        rows={8}
        placeholder={agent.defaultSystemPrompt}
        hint="Leave it empty to use the role's default prompt, shown greyed out."
      />

      <FormTextField
        form={form}
        name="rulesFilePath"
        label="Rules file path"
        maxLength={300}
        placeholder="CLAUDE.md"
        hint="A file in the project's repository whose content is added to the prompt, e.g. CLAUDE.md or .cursorrules."
      />

      <FormAlert message={alert} />

      <div className="flex justify-end gap-2">
        <Button onClick={onDone}>Cancel</Button>
        <Button type="submit" variant="primary" busy={update.isPending}>
          Save agent
        </Button>
      </div>
    </form>
  );
}

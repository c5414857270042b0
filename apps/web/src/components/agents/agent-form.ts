// The agent edit form: its text fields, checked by the server's own schema (and the chosen model's output
// limit) before they are sent, and turned into the `agents.update` changes. Field names match the API's, so the server's field errors land on the same
// inputs as these.
import { zUpdateAgentInput } from "@crewdeck/api/schemas";
import type { FieldError } from "../../lib/errors";
import { checkInput, type FieldOf, typedNumber } from "../../lib/schema-form";
import type { RouterInputs, RouterOutputs } from "../../lib/trpc";

type Agent = RouterOutputs["agents"]["list"]["items"][number];
type AgentChanges = Pick<RouterInputs["agents"]["update"], "modelConfig" | "systemPrompt" | "rulesFilePath">;

export type AgentFormValues = {
  model: string;
  temperature: string;
  maxTokens: string;
  systemPrompt: string;
  rulesFilePath: string;
};

export const AGENT_FIELDS = {
  model: "modelConfig.model",
  temperature: "modelConfig.temperature",
  maxTokens: "modelConfig.maxTokens",
  systemPrompt: "systemPrompt",
  rulesFilePath: "rulesFilePath",
} as const satisfies Record<keyof AgentFormValues, string>;

export const MIN_MAX_TOKENS = 100;
export const MAX_MAX_TOKENS = 128_000;

export function agentFormValues(
  agent: Pick<Agent, "modelConfig" | "systemPrompt" | "rulesFilePath">,
): AgentFormValues {
  return {
    model: agent.modelConfig.model,
    temperature: String(agent.modelConfig.temperature),
    maxTokens: String(agent.modelConfig.maxTokens),
    systemPrompt: agent.systemPrompt ?? "",
    rulesFilePath: agent.rulesFilePath ?? "",
  };
}

export type AgentFormResult = { ok: true; changes: AgentChanges } | { ok: false; errors: FieldError[] };

// The update's changes alone: the agent they are for is not part of the form.
const zAgentChanges = zUpdateAgentInput.omit({ agentId: true });

/** The form field that shows an error about an API field; errors about any other go to the form's alert. */
export const agentFormField: FieldOf<AgentFormValues> = (apiField) =>
  (Object.keys(AGENT_FIELDS) as (keyof AgentFormValues)[]).find((key) => AGENT_FIELDS[key] === apiField) ??
  null;

/**
 * Checks the form with the server's schema and builds the update. `modelMaxOutput` is the chosen model's
 * own output limit, when the catalog knows it: asking for more would fail only when the agent first answers.
 */
export function readAgentForm(values: AgentFormValues, modelMaxOutput?: number): AgentFormResult {
  // An empty prompt means "use the role's default", and an empty path no rules file: both null to the API.
  const rulesFilePath = values.rulesFilePath.trim();
  const checked = checkInput(zAgentChanges, {
    modelConfig: {
      model: values.model.trim(),
      temperature: typedNumber(values.temperature),
      maxTokens: typedNumber(values.maxTokens),
    },
    systemPrompt: values.systemPrompt.trim() ? values.systemPrompt : null,
    rulesFilePath: rulesFilePath || null,
  });
  const errors = checked.ok ? [] : [...checked.errors];
  if (
    modelMaxOutput !== undefined &&
    typedNumber(values.maxTokens) > modelMaxOutput &&
    !errors.some((error) => error.field === AGENT_FIELDS.maxTokens)
  ) {
    errors.push({
      field: AGENT_FIELDS.maxTokens,
      message: `A whole number from ${MIN_MAX_TOKENS} to ${modelMaxOutput} (this model's limit)`,
    });
  }
  if (!checked.ok || errors.length > 0) return { ok: false, errors };
  return { ok: true, changes: checked.value };
}

// The agent edit form: its text fields, checked before they are sent (the bounds of §2.4), and turned into
// the `agents.update` changes. Field names match the API's, so the server's field errors land on the same
// inputs as these.
import type { FieldError } from "../../lib/errors";
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

/**
 * Checks the form and builds the update. `modelMaxOutput` is the chosen model's own output limit, when the
 * catalog knows it: asking for more would fail only when the agent first answers.
 */
export function readAgentForm(values: AgentFormValues, modelMaxOutput?: number): AgentFormResult {
  const errors: FieldError[] = [];
  const model = values.model.trim();
  if (!model) errors.push({ field: AGENT_FIELDS.model, message: "Choose a model" });

  const temperature = Number(values.temperature);
  if (
    values.temperature.trim() === "" ||
    !Number.isFinite(temperature) ||
    temperature < 0 ||
    temperature > 2
  ) {
    errors.push({ field: AGENT_FIELDS.temperature, message: "A number from 0 to 2" });
  }

  const maxTokens = Number(values.maxTokens);
  const ceiling = Math.min(MAX_MAX_TOKENS, modelMaxOutput ?? MAX_MAX_TOKENS);
  if (
    values.maxTokens.trim() === "" ||
    !Number.isInteger(maxTokens) ||
    maxTokens < MIN_MAX_TOKENS ||
    maxTokens > ceiling
  ) {
    errors.push({
      field: AGENT_FIELDS.maxTokens,
      message:
        ceiling < MAX_MAX_TOKENS
          ? `A whole number from ${MIN_MAX_TOKENS} to ${ceiling} (this model's limit)`
          : `A whole number from ${MIN_MAX_TOKENS} to ${MAX_MAX_TOKENS}`,
    });
  }

  const rulesFilePath = values.rulesFilePath.trim();
  if (rulesFilePath && (rulesFilePath.startsWith("/") || rulesFilePath.split("/").includes(".."))) {
    errors.push({
      field: AGENT_FIELDS.rulesFilePath,
      message: "A path inside the repository, like CLAUDE.md",
    });
  }

  if (errors.length > 0) return { ok: false, errors };
  // An empty prompt means "use the role's default", which the API spells as null.
  const systemPrompt = values.systemPrompt.trim();
  return {
    ok: true,
    changes: {
      modelConfig: { model, temperature, maxTokens },
      systemPrompt: systemPrompt ? values.systemPrompt : null,
      rulesFilePath: rulesFilePath || null,
    },
  };
}

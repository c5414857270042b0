import { describe, expect, it } from "vitest";
import { agentFormValues, readAgentForm } from "./agent-form";

const values = agentFormValues({
  modelConfig: { model: "claude-sonnet", temperature: 0.7, maxTokens: 4096 },
  systemPrompt: null,
  rulesFilePath: null,
});

const fieldsOf = (result: ReturnType<typeof readAgentForm>) =>
  result.ok ? [] : result.errors.map((e) => e.field);

describe("readAgentForm", () => {
  it("turns the agent's own settings back into the same update", () => {
    expect(readAgentForm(values)).toEqual({
      ok: true,
      changes: {
        modelConfig: { model: "claude-sonnet", temperature: 0.7, maxTokens: 4096 },
        systemPrompt: null,
        rulesFilePath: null,
      },
    });
  });

  it("keeps a written prompt and a rules file", () => {
    const result = readAgentForm({
      ...values,
      systemPrompt: "Be terse.\n",
      rulesFilePath: " docs/CLAUDE.md ",
    });
    expect(result).toMatchObject({
      ok: true,
      changes: { systemPrompt: "Be terse.\n", rulesFilePath: "docs/CLAUDE.md" },
    });
  });

  it("sends null for a blank prompt, so the role's default applies", () => {
    expect(readAgentForm({ ...values, systemPrompt: "   " })).toMatchObject({
      ok: true,
      changes: { systemPrompt: null },
    });
  });

  it("names each field that is out of bounds", () => {
    const result = readAgentForm({
      ...values,
      model: "",
      temperature: "2.5",
      maxTokens: "50",
      rulesFilePath: "../secrets",
    });
    expect(fieldsOf(result)).toEqual([
      "modelConfig.model",
      "modelConfig.temperature",
      "modelConfig.maxTokens",
      "rulesFilePath",
    ]);
  });

  it("refuses blank and fractional numbers", () => {
    expect(fieldsOf(readAgentForm({ ...values, temperature: "", maxTokens: "1000.5" }))).toEqual([
      "modelConfig.temperature",
      "modelConfig.maxTokens",
    ]);
  });

  it("holds max tokens to the chosen model's output limit", () => {
    const result = readAgentForm({ ...values, maxTokens: "10000" }, 8192);
    expect(result).toEqual({
      ok: false,
      errors: [{ field: "modelConfig.maxTokens", message: expect.stringContaining("8192") }],
    });
    expect(readAgentForm({ ...values, maxTokens: "8192" }, 8192).ok).toBe(true);
  });

  it("refuses absolute rules file paths", () => {
    expect(fieldsOf(readAgentForm({ ...values, rulesFilePath: "/etc/passwd" }))).toEqual(["rulesFilePath"]);
  });
});

// A compact Markdown rendering of a role's structured output, used when later steps read it: shorter
// than the model's full answer, and the same layout every time whatever prose the model wrote.
import type { AgentRole } from "./catalog";
import type { RoleOutputs } from "./output-contracts";

const bullets = (items: readonly string[]) => items.map((i) => `- ${i}`).join("\n");

/** `**Title:**` followed by the items; nothing at all when there are none, so empty sections cost nothing. */
function section(title: string, items: readonly string[]): string | null {
  if (items.length === 0) return null;
  return `**${title}:**\n${bullets(items)}`;
}

const join = (parts: (string | null)[]) => parts.filter((p): p is string => p !== null).join("\n");

const renderers: { [R in AgentRole]: (data: RoleOutputs[R]) => string } = {
  "product-manager": (d) =>
    join([
      `**Problem:** ${d.problem}`,
      `**Goal:** ${d.goal}`,
      `**Acceptance criteria:**\n${d.acceptanceCriteria.map((c) => `- [ ] ${c}`).join("\n")}`,
      section("Out of scope", d.outOfScope),
    ]),
  "project-manager": (d) =>
    join([
      `**Plan:**\n${d.plan.map((p, i) => `${i + 1}. ${p.step} (owner: ${p.owner}; verify: ${p.verification})`).join("\n")}`,
      section("Risks", d.risks),
      section("Definition of done", d.definitionOfDone),
    ]),
  architect: (d) =>
    join([
      `**Design:** ${d.design}`,
      section(
        "Files",
        d.files.map((f) => `${f.change} \`${f.path}\`: ${f.why}`),
      ),
      section("Interfaces", d.interfaces),
      section("Open questions", d.openQuestions),
    ]),
  "senior-developer": (d) => renderDeveloper(d),
  "junior-developer": (d) => renderDeveloper(d),
  "qa-engineer": (d) =>
    join([
      `**Verdict:** ${d.verdict}`,
      section("Checked", d.checked),
      section(
        "Defects",
        d.defects.map(
          (x) => `[${x.severity}] ${x.title}; steps: ${x.steps.map((s, i) => `${i + 1}) ${s}`).join(" ")}`,
        ),
      ),
    ]),
  reviewer: (d) =>
    join([
      `**Verdict:** ${d.verdict === "approve" ? "approve" : "request changes"}`,
      section(
        "Findings",
        d.findings.map((f) => `[${f.severity}] ${f.file ? `\`${f.file}\`: ` : ""}${f.comment}`),
      ),
    ]),
  orchestrator: (d) =>
    join([
      `**Next:** ${d.nextRole}`,
      `**Instruction:** ${d.instruction}`,
      `**Progress:** ${d.progressSummary}`,
    ]),
};

function renderDeveloper(d: RoleOutputs["senior-developer"]): string {
  return join([
    `**Summary:** ${d.summary}`,
    section(
      "Changes",
      d.changes.map((c) => `\`${c.path}\`: ${c.description}`),
    ),
    section("Tests", d.tests),
    d.pullRequest ? `**Pull request:** ${d.pullRequest.title}` : null,
    section("Unsure", d.unsure),
  ]);
}

/** Renders data that already passed the role's contract (see `parseRoleOutput` / `validateRoleOutput`). */
export function renderRoleOutput<R extends AgentRole>(role: R, data: RoleOutputs[R]): string {
  return (renderers[role] as (d: RoleOutputs[R]) => string)(data);
}

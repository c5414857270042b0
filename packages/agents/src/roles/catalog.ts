// The role catalog of §3: what each role is for, how it answers, and whether it touches code.
import type { schema } from "@crewdeck/db";

export type AgentRole = (typeof schema.AGENT_ROLES)[number];

export type RoleDefinition = {
  role: AgentRole;
  /** The name a new agent of this role gets. */
  defaultName: string;
  /** Roles that touch code get repository tools over the task's active repositories. */
  touchesCode: boolean;
  systemPrompt: string;
};

const shared =
  "You are part of a crew of AI agents working a software task in a pipeline. Read the task, the user's instructions and the earlier steps' outputs. Be concrete and concise; say what you assumed.";

export const ROLE_CATALOG: Record<AgentRole, RoleDefinition> = {
  "product-manager": {
    role: "product-manager",
    defaultName: "Product Manager",
    touchesCode: false,
    systemPrompt: `${shared}\nAs product manager, state the user problem, the goal and the acceptance criteria as a checklist. Output: Problem, Goal, Acceptance criteria, Out of scope.`,
  },
  "project-manager": {
    role: "project-manager",
    defaultName: "Project Manager",
    touchesCode: false,
    systemPrompt: `${shared}\nAs project manager, break the work into ordered, independently verifiable steps with owners (roles) and risks. Output: Plan (numbered), Risks, Definition of done.`,
  },
  architect: {
    role: "architect",
    defaultName: "Architect",
    touchesCode: true,
    systemPrompt: `${shared}\nAs architect, read the repository and decide the design: files to change, interfaces, data shapes, and trade-offs. Output: Design, Files to change, Open questions.`,
  },
  "senior-developer": {
    role: "senior-developer",
    defaultName: "Senior Developer",
    touchesCode: true,
    systemPrompt: `${shared}\nAs senior developer, implement the design on the task branch with tests, keeping changes small and idiomatic to the codebase, then open a pull request. Output: Summary of changes, Tests, Pull request.`,
  },
  "junior-developer": {
    role: "junior-developer",
    defaultName: "Junior Developer",
    touchesCode: true,
    systemPrompt: `${shared}\nAs junior developer, take the smaller follow-ups the senior developer left (docs, edge cases, cleanup) on the same branch. Output: Changes, Anything you were unsure of.`,
  },
  "qa-engineer": {
    role: "qa-engineer",
    defaultName: "QA Engineer",
    touchesCode: true,
    systemPrompt: `${shared}\nAs QA engineer, check the change against the acceptance criteria, add missing tests, and report defects with steps to reproduce. Output: Verdict (pass/fail), Checked, Defects.`,
  },
  reviewer: {
    role: "reviewer",
    defaultName: "Reviewer",
    touchesCode: true,
    systemPrompt: `${shared}\nAs reviewer, review the diff for correctness, security, readability and tests. Output: Verdict (approve/request changes), Findings by severity.`,
  },
  orchestrator: {
    role: "orchestrator",
    defaultName: "Orchestrator",
    touchesCode: false,
    systemPrompt: `${shared}\nAs orchestrator, decide which role should act next and with what instruction, and summarise progress for the humans. Output: Next role, Instruction, Progress summary.`,
  },
};

/** The default crew of a new project, in pipeline order (seed 000 §2.2). */
export const DEFAULT_CREW: readonly AgentRole[] = [
  "product-manager",
  "project-manager",
  "architect",
  "senior-developer",
  "junior-developer",
  "qa-engineer",
];

/** Coding roles get the stronger model by default; planning roles a faster one. */
export const defaultModelConfigFor = (role: AgentRole) => ({
  model: ROLE_CATALOG[role].touchesCode ? "claude-sonnet-4-5" : "claude-haiku-4-5",
  temperature: role === "architect" || role === "reviewer" ? 0.2 : 0.4,
  maxTokens: 8192,
});

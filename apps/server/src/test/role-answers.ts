// Answers that keep each role's output contract, as a model following its system prompt would write them.
const fenced = (markdown: string, data: unknown) =>
  `${markdown}\n\n\`\`\`json\n${JSON.stringify(data, null, 2)}\n\`\`\``;

export const ROLE_ANSWERS: Record<string, string> = {
  "product-manager": fenced("## Problem\nCheckout is slow.\n## Goal\nPay in one click.", {
    problem: "Checkout takes five screens",
    goal: "A returning customer pays in one click",
    acceptanceCriteria: ["A saved card pays with one click"],
    outOfScope: [],
  }),
  "project-manager": fenced("## Plan\n1. Add the button", {
    plan: [
      { step: "Add the one-click button", owner: "senior-developer", verification: "An e2e test clicks it" },
    ],
    risks: [],
    definitionOfDone: ["The e2e test passes"],
  }),
  architect: fenced("## Design\nA new endpoint and a button.", {
    design: "POST /checkout/one-click reuses the saved card",
    files: [{ path: "src/checkout.ts", change: "modify", why: "Add the one-click path" }],
    interfaces: ["POST /checkout/one-click"],
    openQuestions: [],
  }),
  "senior-developer": fenced("## Summary\nImplemented the endpoint.", {
    summary: "Added the one-click endpoint and button",
    changes: [{ path: "src/checkout.ts", description: "one-click path" }],
    tests: ["checkout.test.ts passes"],
    pullRequest: null,
    unsure: [],
  }),
  "junior-developer": fenced("## Changes\nDocs.", {
    summary: "Documented the endpoint",
    changes: [{ path: "README.md", description: "one-click docs" }],
    tests: [],
    pullRequest: null,
    unsure: [],
  }),
  "qa-engineer": fenced("## Verdict\npass", { verdict: "pass", checked: ["One click pays"], defects: [] }),
};

export const DEFAULT_PIPELINE_ROLES = [
  "product-manager",
  "project-manager",
  "architect",
  "senior-developer",
  "junior-developer",
  "qa-engineer",
] as const;

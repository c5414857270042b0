import { describe, expect, it } from "vitest";
import { type AgentRole, ROLE_CATALOG } from "./catalog";
import { contractInstructions } from "./contract-instructions";
import { parseRoleOutput, ROLE_OUTPUT_SCHEMAS, splitJsonBlock } from "./output-contracts";
import { renderRoleOutput } from "./render-role-output";

const fence = "```";
const answer = (markdown: string, data: unknown) =>
  `${markdown}\n\n${fence}json\n${JSON.stringify(data, null, 2)}\n${fence}\n`;

/** Answers the way a model writes them: prose for people, then the structured block. */
const EXAMPLES: Record<AgentRole, { markdown: string; data: Record<string, unknown> }> = {
  "product-manager": {
    markdown:
      "## Problem\nUsers who forget their password are locked out until an admin resets it.\n\n## Goal\nUsers reset their own password by email.",
    data: {
      problem: "Users who forget their password are locked out until an admin resets it.",
      goal: "Users reset their own password by email within minutes.",
      acceptanceCriteria: [
        "POST /auth/forgot with a known email sends one reset link valid for 30 minutes",
        "An unknown email answers 200 and sends nothing, so accounts cannot be probed",
        "A used or expired link answers 400 with a message",
      ],
      outOfScope: ["SMS reset", "Changing the login page design"],
    },
  },
  "project-manager": {
    markdown: "## Plan\n1. Design the token table\n2. Implement the endpoints\n3. Test",
    data: {
      plan: [
        {
          step: "Design the reset token storage",
          owner: "architect",
          verification: "The plan names the table",
        },
        { step: "Implement forgot/reset endpoints", owner: "senior-developer", verification: "Tests pass" },
        {
          step: "Verify every acceptance criterion",
          owner: "qa-engineer",
          verification: "QA verdict is pass",
        },
      ],
      risks: ["Email delivery in tests: use the local SMTP fake"],
      definitionOfDone: ["All acceptance criteria hold", "A pull request is open"],
    },
  },
  architect: {
    markdown:
      "## Design\nStore a hash of a random token with an expiry; never the token itself.\n\n## Files\n- `src/auth/reset.ts` (create)",
    data: {
      design:
        "Hash random tokens (sha256) with a 30 minute expiry in a reset_tokens table; one live token per user.",
      files: [
        { path: "src/db/schema/reset-tokens.ts", change: "create", why: "The token table" },
        { path: "src/auth/reset.ts", change: "create", why: "Issue and redeem tokens" },
        { path: "src/auth/router.ts", change: "modify", why: "Mount /auth/forgot and /auth/reset" },
      ],
      interfaces: [
        "issueResetToken(userId: string): Promise<string>",
        "redeemResetToken(token, password): Promise<void>",
      ],
      openQuestions: [],
    },
  },
  "senior-developer": {
    markdown:
      "## Summary\nImplemented the reset flow as planned.\n\n## Tests\nAdded reset.test.ts (6 cases, all passing).",
    data: {
      summary: "Added reset tokens and the two endpoints, following the architect's plan.",
      changes: [
        { path: "src/auth/reset.ts", description: "issueResetToken / redeemResetToken" },
        { path: "src/auth/router.ts", description: "New routes" },
      ],
      tests: ["src/auth/reset.test.ts: 6 cases, passing"],
      pullRequest: {
        title: "Self-service password reset",
        body: "Closes #12. Adds reset tokens and endpoints.",
      },
      unsure: ["Rate limiting of /auth/forgot"],
    },
  },
  "junior-developer": {
    markdown: "## Changes\nDocumented the endpoints and handled an empty email.",
    data: {
      summary: "Docs and one edge case.",
      changes: [{ path: "docs/auth.md", description: "Reset flow documented" }],
      tests: [],
      pullRequest: null,
      unsure: [],
    },
  },
  "qa-engineer": {
    markdown: "## Verdict: fail\nExpired links are accepted.",
    data: {
      verdict: "fail",
      checked: ["Known email sends one link (test)", "Unknown email sends nothing (test)"],
      defects: [
        {
          title: "Expired link is accepted",
          steps: ["Request a reset", "Wait 31 minutes", "Open the link"],
          severity: "blocker",
        },
      ],
    },
  },
  reviewer: {
    markdown: "## Verdict\nRequest changes: tokens are compared with ===.",
    data: {
      verdict: "request_changes",
      findings: [
        { severity: "major", file: "src/auth/reset.ts", comment: "Compare hashes with timingSafeEqual" },
        { severity: "nit", comment: "Name the 30 minutes constant" },
      ],
    },
  },
  orchestrator: {
    markdown: "QA failed; back to the senior developer.",
    data: {
      nextRole: "senior-developer",
      instruction: "Fix the expired-link defect from QA and add a test for it.",
      progressSummary: "Implemented; QA found one blocker.",
    },
  },
};

const roles = Object.keys(EXAMPLES) as AgentRole[];

describe("parseRoleOutput", () => {
  it.each(roles)("reads a well-formed %s answer", (role) => {
    const { markdown, data } = EXAMPLES[role];
    const parsed = parseRoleOutput(role, answer(markdown, data));
    expect(parsed).toEqual({ ok: true, data: expect.objectContaining(data), markdown });
  });

  it("fills the lists a role may leave out with empty lists", () => {
    const parsed = parseRoleOutput(
      "architect",
      answer("Design below.", { design: "Reuse the existing mailer.", files: [] }),
    );
    expect(parsed).toMatchObject({ ok: true, data: { interfaces: [], openQuestions: [] } });
  });

  it("takes the last json block when the prose shows another one", () => {
    const text = `Config example:\n${fence}json\n{"port": 1}\n${fence}\n\n${answer("Done.", EXAMPLES.orchestrator.data)}`;
    const parsed = parseRoleOutput("orchestrator", text);
    expect(parsed.ok).toBe(true);
    expect(parsed.markdown).toContain('{"port": 1}');
  });

  it("reads a block whose closing fence sits on the last JSON line", () => {
    const text = `Plan.\n${fence}json\n${JSON.stringify(EXAMPLES.orchestrator.data)}${fence}`;
    expect(parseRoleOutput("orchestrator", text)).toMatchObject({ ok: true, markdown: "Plan." });
  });

  it("keeps code fences inside JSON strings intact", () => {
    const data = {
      ...EXAMPLES["senior-developer"].data,
      pullRequest: { title: "Reset", body: `Run:\n${fence}sh\npnpm test\n${fence}` },
    };
    const parsed = parseRoleOutput("senior-developer", answer("Done.", data));
    expect(parsed).toMatchObject({
      ok: true,
      data: { pullRequest: { body: `Run:\n${fence}sh\npnpm test\n${fence}` } },
    });
  });

  it("reports an answer without a json block", () => {
    const parsed = parseRoleOutput("product-manager", "## Problem\nSomething.");
    expect(parsed).toEqual({
      ok: false,
      markdown: "## Problem\nSomething.",
      problems: ["The answer does not end with a fenced ```json block."],
    });
  });

  it("reports invalid JSON", () => {
    const parsed = parseRoleOutput(
      "reviewer",
      `Looks fine.\n${fence}json\n{"verdict": "approve", }\n${fence}`,
    );
    expect(parsed.ok).toBe(false);
    if (parsed.ok) return;
    expect(parsed.problems).toHaveLength(1);
    expect(parsed.problems[0]).toMatch(/^The ```json block is not valid JSON: /);
    expect(parsed.markdown).toBe("Looks fine.");
  });

  it("names every schema failure by its path", () => {
    const parsed = parseRoleOutput(
      "architect",
      answer("Design.", {
        design: "",
        files: [{ path: "a.ts", change: "rename", why: "x" }, { path: "b.ts" }],
      }),
    );
    expect(parsed.ok).toBe(false);
    if (parsed.ok) return;
    expect(parsed.problems.map((p) => p.split(":")[0])).toEqual([
      "design",
      "files[0].change",
      "files[1].change",
      "files[1].why",
    ]);
    expect(parsed.problems[1]).toContain('"create"');
  });

  it("rejects a QA fail without defects and a review requesting changes without findings", () => {
    const qa = parseRoleOutput("qa-engineer", answer("Fail.", { verdict: "fail", checked: ["login"] }));
    expect(qa).toMatchObject({
      ok: false,
      problems: ['defects: A "fail" verdict needs at least one defect'],
    });
    const review = parseRoleOutput("reviewer", answer("No.", { verdict: "request_changes", findings: [] }));
    expect(review).toMatchObject({ ok: false, problems: [expect.stringMatching(/^findings: /)] });
  });

  it("rejects an orchestrator that hands work to itself, and accepts done", () => {
    const self = { ...EXAMPLES.orchestrator.data, nextRole: "orchestrator" };
    expect(parseRoleOutput("orchestrator", answer("x", self))).toMatchObject({
      ok: false,
      problems: [expect.stringMatching(/^nextRole: /)],
    });
    const done = { ...EXAMPLES.orchestrator.data, nextRole: "done" };
    expect(parseRoleOutput("orchestrator", answer("x", done)).ok).toBe(true);
  });

  it("rejects a block that is not an object", () => {
    expect(parseRoleOutput("product-manager", answer("x", ["a"]))).toMatchObject({
      ok: false,
      problems: [expect.stringMatching(/^\(root\): /)],
    });
  });
});

describe("splitJsonBlock", () => {
  it("returns the text unchanged when there is no block", () => {
    expect(splitJsonBlock("  just prose \n")).toEqual({ markdown: "just prose", json: null });
  });
});

describe("contractInstructions", () => {
  it.each(roles)("describes every field of %s and shows an example the parser accepts", (role) => {
    const text = contractInstructions(role);
    for (const field of Object.keys(EXAMPLES[role].data)) expect(text).toContain(`\`${field}\``);
    // The example is the last block of the instructions; a model that copies its shape must pass the parser.
    const example = text.slice(text.lastIndexOf(`${fence}json`));
    expect(parseRoleOutput(role, `Answer.\n${example}`).ok).toBe(true);
  });

  it("spells out enum values and which fields are optional", () => {
    const text = contractInstructions("architect");
    expect(text).toContain('`change` (one of "create", "modify", "delete", required)');
    expect(text).toContain("`openQuestions` (list of strings, optional, empty when left out)");
    expect(contractInstructions("senior-developer")).toContain("`pullRequest` (object or null, optional)");
  });
});

describe("renderRoleOutput", () => {
  const render = (role: AgentRole) => {
    const parsed = parseRoleOutput(role, answer("", EXAMPLES[role].data));
    if (!parsed.ok) throw new Error(parsed.problems.join("; "));
    return renderRoleOutput(role, parsed.data);
  };

  it("renders each role's data compactly, with its key content", () => {
    expect(render("product-manager")).toContain("- [ ] A used or expired link answers 400 with a message");
    expect(render("project-manager")).toContain(
      "2. Implement forgot/reset endpoints (owner: senior-developer; verify: Tests pass)",
    );
    expect(render("architect")).toContain("modify `src/auth/router.ts`: Mount /auth/forgot and /auth/reset");
    expect(render("senior-developer")).toContain("**Pull request:** Self-service password reset");
    expect(render("qa-engineer")).toContain(
      "[blocker] Expired link is accepted; steps: 1) Request a reset 2) Wait 31 minutes 3) Open the link",
    );
    expect(render("reviewer")).toContain("[major] `src/auth/reset.ts`: Compare hashes with timingSafeEqual");
    expect(render("reviewer")).toContain("**Verdict:** request changes");
    expect(render("orchestrator")).toBe(
      "**Next:** senior-developer\n**Instruction:** Fix the expired-link defect from QA and add a test for it.\n**Progress:** Implemented; QA found one blocker.",
    );
  });

  it("leaves out empty sections", () => {
    const junior = render("junior-developer");
    expect(junior).not.toContain("Tests");
    expect(junior).not.toContain("Unsure");
    expect(junior).not.toContain("Pull request");
    expect(render("architect")).not.toContain("Open questions");
  });
});

describe("ROLE_CATALOG", () => {
  it.each(roles)("gives %s its contract and the tool set that matches whether it touches code", (role) => {
    const entry = ROLE_CATALOG[role];
    expect(entry.outputSchema).toBe(ROLE_OUTPUT_SCHEMAS[role]);
    expect(entry.tools).toBe(entry.touchesCode ? "repository" : "none");
    expect(entry.systemPrompt).toContain("# Your role:");
  });
});

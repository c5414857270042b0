// An agent's `rulesFilePath` names a file in the project's repository whose content joins the agent's system
// prompt (API.md §2.4). It was stored and never read; a coding step now reads it from the task's working tree.
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { type CodeWorld, startCodeWorld } from "./code-world";
import { ROLE_ANSWERS } from "./role-answers";

describe("an agent's rules file", () => {
  let world: CodeWorld;

  beforeAll(async () => {
    world = await startCodeWorld();
  });
  afterAll(async () => {
    await world?.stop();
  });

  it("is read from the repository into the coding step's system prompt", async () => {
    const { server, fake, owner, projectId, agents, newTask, start, runOf } = world;
    const setRules = (agentId: string, rulesFilePath: string | null) =>
      server.api("PATCH", `/projects/${projectId}/agents/${agentId}`, {
        token: owner.access_token,
        body: { rulesFilePath },
      });
    expect((await setRules(agents["senior-developer"]!, "README.md")).status).toBe(200);
    // A file the repository does not hold leaves the prompt without rules, not the step failed.
    expect((await setRules(agents["qa-engineer"]!, "missing/RULES.md")).status).toBe(200);

    const task = await newTask("Follow the rules");
    fake.enqueue({ text: ROLE_ANSWERS["senior-developer"] }, { text: ROLE_ANSWERS["qa-engineer"] });
    const before = fake.requests.length;
    expect((await start(task.id)).status).toBe(200);
    await server.deps.engine.steps.idle();
    expect((await runOf(task.id))?.status).toBe("completed");

    const [developer, qa] = fake.requests.slice(before).map((r) => JSON.stringify(r.body.system));
    expect(developer).toContain("## Project rules");
    expect(developer).toContain("<rules>\\n# shop\\n</rules>");
    // QA's file is not in the repository: no rules section rather than an error.
    expect(qa).not.toContain("## Project rules");
  });
});

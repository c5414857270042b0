// An agent's `rulesFilePath` names a file in the project's repository whose content joins the agent's system
// prompt (API.md §2.4). It was stored and never read; a coding step now reads it from the task's working tree,
// which wins over the repository's default branch on GitHub (rules-from-github.test.ts) when both hold it.
import { execFileSync } from "node:child_process";
import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { type CodeWorld, FULL_NAME, REVIEW_ANSWERS, startCodeWorld } from "./code-world";
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
    fake.enqueue(...REVIEW_ANSWERS);
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

  it("comes from the working tree of the task's branch rather than the default branch on GitHub", async () => {
    const { server, fake, github, owner, projectId, agents, runOf } = world;
    // The task's branch holds a newer version of the file than the default branch.
    const work = mkdtempSync(path.join(tmpdir(), "rules-branch-"));
    const git = (...args: string[]) =>
      execFileSync("git", ["-c", "user.name=octo", "-c", "user.email=octo@users.noreply.test", ...args], {
        cwd: work,
        stdio: "ignore",
      });
    git("clone", "--quiet", github.repo(FULL_NAME).gitDir!, ".");
    writeFileSync(path.join(work, "README.md"), "# shop, as the branch has it\n");
    git("commit", "--quiet", "-am", "Newer rules");
    git("push", "--quiet", "origin", "HEAD:refs/heads/rules-v2");
    rmSync(work, { recursive: true, force: true });

    const patched = await server.api(
      "PATCH",
      `/projects/${projectId}/agents/${agents["senior-developer"]!}`,
      {
        token: owner.access_token,
        body: { rulesFilePath: "README.md" },
      },
    );
    expect(patched.status).toBe(200);
    const task = await server.api("POST", "/tasks", {
      token: owner.access_token,
      body: { title: "Branch rules", description: "Follow the branch", projectId, branch: "rules-v2" },
    });
    expect(task.status, JSON.stringify(task.body)).toBe(200);
    fake.enqueue({ text: ROLE_ANSWERS["senior-developer"] });
    const before = fake.requests.length;
    const started = await server.api("POST", `/tasks/${task.body.id}/start`, {
      token: owner.access_token,
      body: { pipeline: [agents["senior-developer"]] },
    });
    expect(started.status, JSON.stringify(started.body)).toBe(200);
    await server.deps.engine.steps.idle();
    expect((await runOf(task.body.id))?.status).toBe("completed");

    const [developer] = fake.requests.slice(before).map((r) => JSON.stringify(r.body.system));
    expect(developer).toContain("<rules>\\n# shop, as the branch has it\\n</rules>");
    // The working tree had it: GitHub's contents API was not asked for it.
    expect(github.apiRequests().filter((r) => r.path.endsWith("/contents/README.md"))).toEqual([]);
  });
});

// Agents that change code, end to end: the real server, the Anthropic fake scripted with tool calls, and the
// GitHub fake serving a bare repository over git's smart HTTP, so clone and push are real. A run views a file,
// edits it, runs the repository's tests under bubblewrap, and ends with the task branch pushed and a pull
// request opened; a run that changes nothing opens none; the token shows up nowhere an agent or a log can see.
import { readFile } from "node:fs/promises";
import { createServer } from "node:net";
import path from "node:path";
import { startRevisionRun } from "@crewdeck/engine";
import { repositoryGitAccess } from "@crewdeck/github";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { type CodeWorld, editGreeting, FULL_NAME, GREET, REVIEW_ANSWERS, startCodeWorld } from "./code-world";
import { ROLE_ANSWERS } from "./role-answers";

describe("runs that change code", () => {
  let world: CodeWorld;
  let server: CodeWorld["server"];
  let fake: CodeWorld["fake"];
  let github: CodeWorld["github"];
  let owner: CodeWorld["owner"];
  let repositoryRow: CodeWorld["repositoryRow"];
  let newTask: CodeWorld["newTask"];
  let start: CodeWorld["start"];
  let git: CodeWorld["git"];
  let runOf: CodeWorld["runOf"];
  let projectId: CodeWorld["projectId"];
  /** The first test's task, whose pull request the revision test updates. */
  let revisedTaskId = "";

  beforeAll(async () => {
    world = await startCodeWorld();
    ({ server, fake, github, owner, repositoryRow, newTask, start, git, runOf, projectId } = world);
  });
  afterAll(async () => {
    await world?.stop();
  });

  const logsOf = async (runId: string) =>
    (await server.deps.db.query.runLogs.findMany({ where: (row, { eq }) => eq(row.runId, runId) })).map(
      (l) => l.message,
    );

  it("edits, tests, commits as the agent, pushes the task branch and opens the pull request", async () => {
    const task = await newTask("Friendlier greeting");
    revisedTaskId = task.id;
    const dataFile = path.join(server.dataDir, "crewdeck.db");
    fake.enqueue(
      {
        toolUses: [
          { name: "str_replace_based_edit_tool", input: { command: "view", path: "shop/src/greet.js" } },
        ],
      },
      {
        toolUses: [
          {
            name: "str_replace_based_edit_tool",
            input: { command: "str_replace", path: "shop/src/greet.js", old_str: "Hello, ", new_str: "Hi, " },
          },
        ],
      },
      { text: ROLE_ANSWERS["senior-developer"] },
      {
        toolUses: [
          { name: "bash", input: { command: "cd shop && sh test.sh" } },
          { name: "bash", input: { command: `test -e ${dataFile} && echo VISIBLE || echo HIDDEN` } },
        ],
      },
      { text: ROLE_ANSWERS["qa-engineer"] },
    );
    const before = fake.requests.length;
    const started = await start(task.id);
    expect(started.status).toBe(200);
    await server.deps.engine.steps.idle();

    const run = await runOf(task.id);
    expect(run?.status).toBe("completed");
    const calls = fake.requests.slice(before);
    expect(calls).toHaveLength(5);
    // The coding steps are offered the workspace tools, and their prompt names the repository and branch.
    const toolNames = (calls[0]!.body.tools as { name: string }[]).map((t) => t.name);
    expect(toolNames).toEqual(expect.arrayContaining(["str_replace_based_edit_tool", "bash", "git_diff"]));
    const firstPrompt = JSON.stringify(calls[0]!.body.messages);
    expect(firstPrompt).toContain(FULL_NAME);
    expect(firstPrompt).toMatch(/crewdeck\/[a-z0-9]{8}-friendlier-greeting/);
    // The view came back with the file, the edit was applied once, the tests ran in the sandbox.
    expect(JSON.stringify(calls[1]!.body.messages)).toContain('\\"Hello, \\" + name');
    const qaResults = JSON.stringify(calls[4]!.body.messages);
    expect(qaResults).toContain("1 test passed");
    expect(qaResults).toContain("HIDDEN");

    // The branch on the "GitHub" side holds exactly the scripted change, committed as the agent.
    const branches = git("for-each-ref", "--format=%(refname:short)", "refs/heads/").trim().split("\n");
    const branch = branches.find((b) => b.startsWith("crewdeck/"))!;
    expect(branch).toMatch(/^crewdeck\/[a-z0-9]{8}-friendlier-greeting$/);
    expect(git("diff", "--name-only", `main..${branch}`).trim()).toBe("src/greet.js");
    expect(git("show", `${branch}:src/greet.js`)).toBe(GREET.replace("Hello, ", "Hi, "));
    expect(git("rev-list", "--count", `main..${branch}`).trim()).toBe("1");
    expect(git("log", "-1", "--format=%an", branch).trim()).toBe("Senior Developer");
    expect(git("log", "-1", "--format=%B", branch)).toContain(`Crewdeck-Task: ${task.id}`);

    // The pull request is opened against the fake, linked to the task, the run and the agent.
    const pulls = await server.deps.db.query.pullRequests.findMany({
      where: (row, { eq }) => eq(row.taskId, task.id),
    });
    expect(pulls).toHaveLength(1);
    const pull = pulls[0]!;
    expect(pull).toMatchObject({
      runId: run!.id,
      authoringAgentId: world.agents["senior-developer"],
      headBranch: branch,
      baseBranch: "main",
      state: "open",
    });
    const onGitHub = github.issue(FULL_NAME, pull.number);
    expect(onGitHub.pull?.head).toBe(branch);
    expect(onGitHub.title).toBe("Friendlier greeting");
    expect(onGitHub.body).toContain("The greeting says Hi and the tests pass");
    expect(onGitHub.body).toContain("`cd shop && sh test.sh` (qa-engineer): exit 0");
    expect(onGitHub.body).toContain("Added the one-click endpoint and button");
    expect(run?.result).toMatchObject({ type: "pull_request", pullRequestUrl: pull.htmlUrl });
    const detail = await server.api("GET", `/tasks/${task.id}`, { token: owner.access_token });
    expect(detail.body.status).toBe("review");
    expect(detail.body.result).toMatchObject({ type: "pull_request", pullRequestUrl: pull.htmlUrl });

    // The token is nowhere an agent, a model or a person reading the log could see it.
    const { token } = await repositoryGitAccess(server.deps.github, repositoryRow, owner.user.id);
    expect(token.length).toBeGreaterThan(8);
    const basic = Buffer.from(`x-access-token:${token}`).toString("base64");
    const workspaceDir = path.join(server.dataDir, "workspaces", task.id);
    const gitConfig = await readFile(path.join(workspaceDir, "git", "shop", "config"), "utf8");
    const gitFile = await readFile(path.join(workspaceDir, "trees", "shop", ".git"), "utf8").catch(() => "");
    const seen = [
      gitConfig,
      gitFile,
      JSON.stringify(calls.map((c) => c.body)),
      (await logsOf(run!.id)).join("\n"),
    ].join("\n");
    expect(seen).not.toContain(token);
    expect(seen).not.toContain(basic);
  });

  it("revises after a rejection on the same branch, adding a commit to the same pull request", async () => {
    expect(revisedTaskId).not.toBe("");
    const [pull] = await server.deps.db.query.pullRequests.findMany({
      where: (row, { eq }) => eq(row.taskId, revisedTaskId),
    });
    const before = fake.requests.length;
    fake.enqueue(editGreeting("Hi, ", "Hey, "), ...REVIEW_ANSWERS);
    const run = await startRevisionRun(server.deps.engine, {
      taskId: revisedTaskId,
      feedback: "Say Hey, not Hi",
      userId: owner.user.id,
    });
    await server.deps.engine.steps.idle();

    expect(
      (await server.deps.db.query.runs.findFirst({ where: (r, { eq }) => eq(r.id, run.id) }))?.status,
    ).toBe("completed");
    expect(JSON.stringify(fake.requests[before]!.body.messages)).toContain("Say Hey, not Hi");
    const branch = pull!.headBranch;
    expect(git("rev-list", "--count", `main..${branch}`).trim()).toBe("2");
    expect(git("show", `${branch}:src/greet.js`)).toBe(GREET.replace("Hello, ", "Hey, "));
    const pulls = await server.deps.db.query.pullRequests.findMany({
      where: (row, { eq }) => eq(row.taskId, revisedTaskId),
    });
    expect(pulls.map((p) => p.number)).toEqual([pull!.number]);
  });

  it("lets sandboxed commands reach the network only when the project's owner allows it", async () => {
    const listener = createServer((socket) => socket.end("hello from the host\n"));
    await new Promise<void>((resolve) => listener.listen(0, "127.0.0.1", resolve));
    const port = (listener.address() as { port: number }).port;
    const connect = `node -e "require('net').connect(${port}, '127.0.0.1').on('data', d => process.stdout.write(String(d))).on('error', e => { console.log('blocked:', e.code); process.exit(3) })"`;
    /** What the QA engineer's `connect` command answered in a run of a fresh task. */
    const connectFromRun = async (title: string) => {
      const task = await newTask(title);
      fake.enqueue(
        { text: ROLE_ANSWERS["senior-developer"] },
        { toolUses: [{ name: "bash", input: { command: connect } }] },
        { text: ROLE_ANSWERS["qa-engineer"] },
      );
      const before = fake.requests.length;
      expect((await start(task.id)).status).toBe(200);
      await server.deps.engine.steps.idle();
      expect((await runOf(task.id))?.status).toBe("completed");
      return JSON.stringify(fake.requests[before + 2]!.body.messages);
    };
    try {
      const offline = await connectFromRun("Offline by default");
      expect(offline).toMatch(/blocked: E/);
      expect(offline).not.toContain("hello from the host");

      const enabled = await server.api("PATCH", `/projects/${projectId}`, {
        token: owner.access_token,
        body: { agentNetwork: true },
      });
      expect(enabled.status).toBe(200);
      const online = await connectFromRun("Online when allowed");
      expect(online).toContain("hello from the host");
    } finally {
      await server.api("PATCH", `/projects/${projectId}`, {
        token: owner.access_token,
        body: { agentNetwork: false },
      });
      await new Promise<void>((resolve) => listener.close(() => resolve()));
    }
  });

  it("says so and opens nothing when the run changed nothing", async () => {
    const task = await newTask("Nothing to do");
    fake.enqueue(...REVIEW_ANSWERS);
    const pullsBefore = github.apiRequests().filter((r) => r.method === "POST" && r.path.endsWith("/pulls"));
    expect((await start(task.id)).status).toBe(200);
    await server.deps.engine.steps.idle();

    const run = await runOf(task.id);
    expect(run?.status).toBe("completed");
    expect(run?.result).toMatchObject({ type: "output" });
    expect(await logsOf(run!.id)).toContain(
      "The run changed nothing in octo/shop: no commit, no pull request",
    );
    const pullsAfter = github.apiRequests().filter((r) => r.method === "POST" && r.path.endsWith("/pulls"));
    expect(pullsAfter).toHaveLength(pullsBefore.length);
    expect(
      await server.deps.db.query.pullRequests.findMany({ where: (row, { eq }) => eq(row.taskId, task.id) }),
    ).toEqual([]);
  });
});

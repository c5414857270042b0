// A coding run whose server process is killed with SIGKILL in the middle of a tool call, then started again
// over the same data: the step resumes from its checkpoint. The edit that finished before the kill is kept and
// not applied again, the command that was under way is answered as interrupted (it may have written already)
// instead of being run twice, the provider never receives a transcript ending in an unanswered `tool_use`,
// and no finished call is charged twice. Everything crosses HTTP, as in production: the GitHub connection is
// made through the OAuth endpoints against the GitHub fake, and the pushed branch is read from its bare repo.
import { execFileSync } from "node:child_process";
import { existsSync } from "node:fs";
import { mkdtemp, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import path from "node:path";
import { createDatabase } from "@crewdeck/db";
import { type FakeAnthropic, startFakeAnthropic } from "@crewdeck/engine/testing";
import { type FakeGitHub, startFakeGitHub } from "@crewdeck/github/testing";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { api, type Child, killed, startChild } from "./child-server";
import { FULL_NAME, GREET } from "./code-world";
import { githubFakeEnv } from "./harness";
import { until } from "./live-events";
import { ROLE_ANSWERS } from "./role-answers";

const EDIT_LINE = "// Inserted once by the senior developer";
const BASH_LINE = "Appended once by a command cut short";

type Block = { type: string; id?: string; tool_use_id?: string };
type Message = { role: string; content: string | Block[] };

describe("a coding run survives SIGKILL during a tool call", () => {
  let fake: FakeAnthropic;
  let github: FakeGitHub;
  let dataDir: string;
  let env: Record<string, string>;
  const children: Child[] = [];

  beforeAll(async () => {
    fake = await startFakeAnthropic({ apiKey: "sk-ant-restart-tools" });
    github = await startFakeGitHub();
    github.addUser("octo");
    github.addRepo(FULL_NAME, { language: "JavaScript" });
    github.createGitRepository(FULL_NAME, { "src/greet.js": GREET, "README.md": "# shop\n" });
    dataDir = await mkdtemp(path.join(tmpdir(), "crewdeck-restart-tools-"));
    env = {
      ...githubFakeEnv(github),
      DATA_DIR: dataDir,
      AUTH_SECRET: "restart-tools-secret-of-at-least-32-characters",
      ANTHROPIC_API_KEY: "sk-ant-restart-tools",
      ANTHROPIC_BASE_URL: fake.url,
      AGENT_SANDBOX: "bwrap",
    };
  });
  afterAll(async () => {
    for (const child of children) await killed(child);
    await fake?.close();
    await github?.close();
    if (dataDir) await rm(dataDir, { recursive: true, force: true });
  });

  it("keeps the finished edit, answers the interrupted command, and applies neither twice", async () => {
    const first = await startChild(env);
    children.push(first);
    const reg = await api(first, "POST", "/auth/register", undefined, {
      email: "tools@example.test",
      username: "tools",
      password: "correct horse battery",
    });
    const token = reg.body.access_token as string;

    // The GitHub connection, through the server's own endpoints, so the child process needs nothing in-process.
    const connectUrl = await api(first, "GET", "/github/connect-url", token);
    expect(connectUrl.status).toBe(200);
    const connected = await api(first, "POST", "/github/connect", token, {
      code: github.createCode("octo"),
      state: connectUrl.body.state,
    });
    expect(connected.status).toBe(200);
    expect((await api(first, "POST", "/repositories/sync", token, {})).status).toBe(200);
    const project = await api(first, "POST", "/projects", token, {
      name: "Shop",
      repositories: [{ name: "shop", full_name: FULL_NAME }],
    });
    expect(project.status).toBe(200);
    expect(project.body.repositories[0]).toMatchObject({ fullName: FULL_NAME, syncStatus: "synced" });
    const crew = await api(first, "GET", `/projects/${project.body.id}/agents`, token);
    const agents: Record<string, string> = Object.fromEntries(
      (crew.body.items as { id: string; role: string }[]).map((a) => [a.role, a.id]),
    );
    const task = await api(first, "POST", "/tasks", token, {
      title: "Note the greeting",
      description: "Say where the greeting lives",
      projectId: project.body.id,
    });
    const taskId = task.body.id as string;
    const trees = path.join(dataDir, "workspaces", taskId, "trees");

    const usage = (i: number) => ({ input: 700 + i, output: 70 + i, cacheRead: 0, cacheWrite: 0 });
    fake.enqueue({
      id: "msg_tools",
      usage: usage(0),
      toolUses: [
        {
          id: "toolu_edit",
          name: "str_replace_based_edit_tool",
          input: {
            command: "insert",
            path: "shop/src/greet.js",
            insert_line: 0,
            insert_text: `${EDIT_LINE}\n`,
          },
        },
        {
          // Writes, says so, then waits: the server dies while this call is under way.
          id: "toolu_hold",
          name: "bash",
          input: {
            command: `echo "${BASH_LINE}" >> shop/README.md && touch started && i=0; while [ ! -e release ] && [ $i -lt 600 ]; do sleep 0.1; i=$((i+1)); done`,
          },
        },
      ],
    });
    expect(
      (
        await api(first, "POST", `/tasks/${taskId}/start`, token, {
          pipeline: [agents["senior-developer"], agents["qa-engineer"]],
        })
      ).status,
    ).toBe(200);
    await until("the command under way", async () =>
      existsSync(path.join(trees, "started")) ? true : undefined,
    );
    await killed(first);
    expect(fake.requests).toHaveLength(1);

    fake.enqueue(
      { id: "msg_dev", usage: usage(1), text: ROLE_ANSWERS["senior-developer"] },
      { id: "msg_qa", usage: usage(2), text: ROLE_ANSWERS["qa-engineer"] },
    );
    const second = await startChild(env);
    children.push(second);
    // Lets any copy of the command still waiting finish (bubblewrap dies with its parent, so none should).
    await writeFile(path.join(trees, "release"), "");
    const status = await until("the run to complete", async () => {
      const s = await api(second, "GET", `/tasks/${taskId}/status`, token);
      return s.body.runStatus === "completed" ? s.body : undefined;
    });
    expect(status).toMatchObject({ isComplete: true, progress: { completed: 2, total: 2 } });
    await killed(second);

    // The provider: three calls, and every tool_use it was sent is answered by the message right after it.
    expect(fake.requests).toHaveLength(3);
    for (const request of fake.requests) {
      const messages = request.body.messages as Message[];
      expect(messages.at(-1)?.role).toBe("user");
      messages.forEach((message, i) => {
        if (message.role !== "assistant" || typeof message.content === "string") return;
        const uses = message.content.filter((b) => b.type === "tool_use").map((b) => b.id);
        if (uses.length === 0) return;
        const next = messages[i + 1]?.content;
        const answered = Array.isArray(next)
          ? next.filter((b) => b.type === "tool_result").map((b) => b.tool_use_id)
          : [];
        expect(answered).toEqual(uses);
      });
    }
    const resumed = fake.requests[1]!.body.messages as Message[];
    const results = resumed.at(-1)!.content as (Block & { content: unknown; is_error?: boolean })[];
    expect(results.map((r) => r.tool_use_id)).toEqual(["toolu_edit", "toolu_hold"]);
    expect(results[0]!.is_error ?? false).toBe(false);
    expect(results[1]).toMatchObject({ is_error: true });

    // GitHub: the pushed branch holds each write exactly once, in one commit.
    const gitDir = github.repo(FULL_NAME).gitDir!;
    const git = (...args: string[]) =>
      execFileSync("git", ["--git-dir", gitDir, ...args], { encoding: "utf8" });
    const branch = git("for-each-ref", "--format=%(refname:short)", "refs/heads/crewdeck/").trim();
    expect(branch).toMatch(/^crewdeck\/[a-z0-9]{8}-note-the-greeting$/);
    expect(git("show", `${branch}:src/greet.js`)).toBe(`${EDIT_LINE}\n${GREET}`);
    expect(git("show", `${branch}:README.md`)).toBe(`# shop\n${BASH_LINE}\n`);
    expect(git("diff", "--name-only", `main..${branch}`).trim().split("\n")).toEqual([
      "README.md",
      "src/greet.js",
    ]);
    expect(git("rev-list", "--count", `main..${branch}`).trim()).toBe("1");

    // Charged: each of the three finished calls once, with the provider's numbers.
    const db = await createDatabase({ url: `file:${path.join(dataDir, "crewdeck.db")}` });
    try {
      const records = await db.query.usageRecords.findMany({ where: (r, { eq }) => eq(r.taskId, taskId) });
      expect(records.map((r) => r.providerMessageId).sort()).toEqual(["msg_dev", "msg_qa", "msg_tools"]);
      expect(records.map((r) => r.inputTokens).sort()).toEqual([0, 1, 2].map((i) => usage(i).input));
      const steps = await db.query.runSteps.findMany();
      expect(steps.map((s) => [s.status, s.attempts])).toEqual([
        ["completed", 2],
        ["completed", 1],
      ]);
      const logs = (await db.query.runLogs.findMany()).map((l) => l.message);
      expect(logs).toContain("Server restarted; resuming at step 1");
      expect(logs).toContain(
        "Tool call bash was interrupted by a restart; the agent is asked to check its effect",
      );
    } finally {
      db.$client.close();
    }
  }, 90_000);
});

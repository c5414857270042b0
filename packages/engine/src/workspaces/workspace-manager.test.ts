import { execFileSync } from "node:child_process";
import { mkdtemp, readFile, rm, utimes, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import path from "node:path";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { createGitDiffTool } from "../tools/git-diff";
import { createSearchCodeTool } from "../tools/search-code";
import { createGitRunner, type GitCommand, type GitRunner, gitAuthEnv, scrubToken } from "./git-runner";
import { taskBranchName } from "./task-branch";
import { createWorkspaceManager } from "./workspace-manager";

let dir: string;
let bare: string;
const realGit = createGitRunner();
const git = (cwd: string, ...args: string[]) =>
  execFileSync("git", args, {
    cwd,
    encoding: "utf8",
    env: { PATH: process.env.PATH, GIT_CONFIG_GLOBAL: "/dev/null" },
  });

beforeEach(async () => {
  dir = await mkdtemp(path.join(tmpdir(), "crewdeck-ws-"));
  bare = path.join(dir, "origin.git");
  git(dir, "init", "--bare", "--initial-branch=main", bare);
  const seed = path.join(dir, "seed");
  git(dir, "init", "--initial-branch=main", seed);
  await writeFile(path.join(seed, "README.md"), "# Demo\nhello world\n");
  git(seed, "add", ".");
  git(seed, "-c", "user.name=Seed", "-c", "user.email=seed@example.com", "commit", "-m", "seed");
  git(seed, "push", bare, "main");
});
afterEach(() => rm(dir, { recursive: true, force: true }));

const manager = (over: { git?: GitRunner; maxBytes?: number; now?: () => Date } = {}) =>
  createWorkspaceManager({
    rootDir: path.join(dir, "workspaces"),
    git: realGit,
    now: () => new Date(),
    ...over,
  });
const repositories = () => [{ name: "demo", cloneUrl: `file://${bare}`, baseBranch: "main" }];

describe("taskBranchName", () => {
  it("names the branch after the short task id and a slug of the title", () => {
    expect(taskBranchName("0f3a9c2e-77aa-4bd1", "Add a dark mode (settings page)!")).toBe(
      "crewdeck/0f3a9c2e-add-a-dark-mode-settings-page",
    );
    expect(taskBranchName("abc", "Ünïcödé — ")).toBe("crewdeck/abc-unicode");
    expect(taskBranchName("abc", "!!!")).toBe("crewdeck/abc");
  });
});

describe("workspace manager", () => {
  it("clones onto the task branch, reuses the clone, commits and pushes to the remote", async () => {
    const workspaces = manager();
    const opened = await workspaces.open({
      taskId: "task1",
      taskTitle: "Greet",
      repositories: repositories(),
    });
    expect(opened.taskBranch).toBe("crewdeck/task1-greet");
    const tree = opened.repositories[0]!.path;
    expect(tree).toBe(path.join(opened.root, "demo"));
    expect(await readFile(path.join(tree, "README.md"), "utf8")).toContain("hello world");
    // The git data sits beside the workspace, out of the agents' reach.
    expect(opened.repositories[0]!.gitDir.startsWith(opened.root)).toBe(false);

    await writeFile(path.join(tree, "hello.txt"), "hi\n");
    // Renaming the task later does not move its work to another branch.
    const again = await workspaces.open({
      taskId: "task1",
      taskTitle: "Renamed",
      repositories: repositories(),
    });
    expect(again).toEqual(opened);
    expect(await readFile(path.join(tree, "hello.txt"), "utf8")).toBe("hi\n");

    const author = { name: "Crewdeck Dev", email: "dev@crewdeck.local" };
    const [commit] = await workspaces.commit(again, { taskId: "task1", message: "Add hello", author });
    expect(commit).toMatchObject({ committed: true });
    expect(await workspaces.commit(again, { taskId: "task1", message: "Again", author })).toEqual([
      { repository: tree, committed: false, reason: "nothing changed" },
    ]);
    await workspaces.push(again, {});
    const log = git(bare, "log", "-1", "--format=%an <%ae>%n%B", "crewdeck/task1-greet");
    expect(log).toContain("Crewdeck Dev <dev@crewdeck.local>");
    expect(log).toContain("Add hello\n\nCrewdeck-Task: task1");
    expect(git(bare, "show", "crewdeck/task1-greet:hello.txt")).toBe("hi\n");

    // A new clone of the same task (its workspace swept) picks up the pushed branch.
    await workspaces.remove("task1");
    const fresh = await workspaces.open({
      taskId: "task1",
      taskTitle: "Greet",
      repositories: repositories(),
    });
    expect(await readFile(path.join(fresh.repositories[0]!.path, "hello.txt"), "utf8")).toBe("hi\n");
  });

  it("gives the token to the one git command through its environment only, and scrubs it from errors", async () => {
    const token = "ghs_secretToken123";
    const seen: GitCommand[] = [];
    const recording: GitRunner = async (command) => {
      seen.push(command);
      return realGit(command);
    };
    const opened = await manager({ git: recording }).open({
      taskId: "task2",
      taskTitle: "Auth",
      repositories: repositories(),
      token,
    });
    expect(
      seen.filter((c) => c.token === token).map((c) => c.args.find((a) => ["clone", "fetch"].includes(a))),
    ).toEqual(["clone", "fetch"]);
    for (const command of seen) expect(command.args.join(" ")).not.toContain(token);
    const config = await readFile(path.join(opened.repositories[0]!.gitDir, "config"), "utf8");
    expect(config).not.toContain(token);
    expect(config).not.toContain(Buffer.from(`x-access-token:${token}`).toString("base64"));
    expect(gitAuthEnv(token)).toEqual({
      GIT_CONFIG_COUNT: "1",
      GIT_CONFIG_KEY_0: "http.extraHeader",
      GIT_CONFIG_VALUE_0: `Authorization: Basic ${Buffer.from(`x-access-token:${token}`).toString("base64")}`,
    });
    expect(scrubToken(`fatal: ${token} and ${gitAuthEnv(token).GIT_CONFIG_VALUE_0}`, token)).toBe(
      "fatal: [redacted] and Authorization: Basic [redacted]",
    );
    await expect(
      manager().open({
        taskId: "task3",
        taskTitle: "x",
        repositories: [
          { name: "demo", cloneUrl: `https://x:${token}@example.com/r.git`, baseBranch: "main" },
        ],
      }),
    ).rejects.toThrow(/must not carry credentials/);
  });

  it("refuses a workspace over its size limit with a clear error", async () => {
    await expect(
      manager({ maxBytes: 100 }).open({ taskId: "task4", taskTitle: "Big", repositories: repositories() }),
    ).rejects.toThrow(/The workspace of task task4 uses .* over its limit of 100 B.*WORKSPACE_MAX_BYTES/);
  });

  it("sweeps the workspaces of finished tasks and those idle too long", async () => {
    let now = new Date("2026-01-10T00:00:00Z");
    const workspaces = manager({ now: () => now });
    for (const taskId of ["keep", "done", "idle"]) {
      await workspaces.open({ taskId, taskTitle: taskId, repositories: repositories() });
    }
    const old = new Date("2026-01-01T00:00:00Z");
    await utimes(path.join(dir, "workspaces/idle/last-used"), old, old);
    now = new Date("2026-01-10T01:00:00Z");
    const { removed } = await workspaces.sweep({ keep: (id) => id !== "done", maxIdleMs: 7 * 24 * 3600_000 });
    expect(removed.sort()).toEqual(["done", "idle"]);
  });

  it("lets the read tools search and diff the task's changes", async () => {
    const opened = await manager().open({ taskId: "task5", taskTitle: "Read", repositories: repositories() });
    const tree = opened.repositories[0]!.path;
    await writeFile(path.join(tree, "README.md"), "# Demo\nhello crew\n");
    await writeFile(path.join(tree, "new.ts"), "export const crew = 1;\n");
    const ctx = {
      runId: null,
      taskId: "task5",
      projectId: null,
      agentId: "a",
      userId: "u",
      signal: new AbortController().signal,
      workspace: { ...opened, network: false },
    };
    const search = await createSearchCodeTool(realGit).execute({ pattern: "crew" }, ctx);
    expect(search.content.split("\n").sort()).toEqual([
      "demo/README.md:2:hello crew",
      "demo/new.ts:1:export const crew = 1;",
    ]);
    const diff = await createGitDiffTool(realGit).execute({}, ctx);
    expect(diff.content).toContain("## demo");
    expect(diff.content).toContain("-hello world\n+hello crew");
    expect(diff.content).toContain("New files, not in the diff:\nnew.ts");
    expect((await createGitDiffTool(realGit).execute({ path: "../.." }, ctx)).isError).toBe(true);
  });
});

// What the platform adds to one tool call of a coding agent: `bash` through the tool registry (input
// validation, timeout race, the sandbox's start, a fresh shell with its memory limit, output capture) under
// bubblewrap and unsandboxed, and a `view` of a small file with the text editor — beside a bare
// `spawn("true")`, so the cost of the sandbox and of the shells is told apart from Node's own spawn.
import { execFileSync, spawn } from "node:child_process";
import { mkdir, mkdtemp, realpath, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import path from "node:path";
import { createDefaultToolRegistry } from "../packages/engine/src/tools/default-tools";
import type { ToolContext } from "../packages/engine/src/tools/registry";
import { createGitRunner } from "../packages/engine/src/workspaces/git-runner";
import { createWorkspaceManager } from "../packages/engine/src/workspaces/workspace-manager";
import { printLatency, summarise } from "./lib/stats";

const ROUNDS = 1_000;
const WARM_UP_ROUNDS = 20;

const spawnTrue = () =>
  new Promise<void>((resolve, reject) => {
    const child = spawn("true", { stdio: "ignore" });
    child.once("error", reject);
    child.once("close", (code) => (code === 0 ? resolve() : reject(new Error(`true exited ${code}`))));
  });

/** A small repository to clone into the workspace, so the sandbox mounts a real git directory as a step's does. */
async function seedRepository(dir: string): Promise<string> {
  const seed = path.join(dir, "seed");
  await mkdir(seed, { recursive: true });
  await writeFile(
    path.join(seed, "greet.ts"),
    Array.from(
      { length: 40 },
      (_, i) => `export const greeting${i} = (name: string) => \`Hello \${name}, ${i}\`;`,
    ).join("\n"),
  );
  const git = (...args: string[]) =>
    execFileSync("git", args, { cwd: seed, stdio: "ignore", env: { PATH: "/usr/bin:/bin" } });
  git("init", "--quiet", "--initial-branch=main");
  git("add", "-A");
  git("-c", "user.name=Seed", "-c", "user.email=seed@example.com", "commit", "--quiet", "-m", "seed");
  return `file://${seed}`;
}

export async function run(): Promise<void> {
  const dir = await realpath(await mkdtemp(path.join(tmpdir(), "crewdeck-bench-tools-")));
  try {
    // As the server lays it out: a data directory and the workspaces, both hidden from sandboxed commands.
    const dataDir = path.join(dir, "data");
    const workspacesDir = path.join(dir, "workspaces");
    await mkdir(dataDir, { recursive: true });
    const git = createGitRunner();
    const workspace = await createWorkspaceManager({
      rootDir: workspacesDir,
      git,
      now: () => new Date(),
    }).open({
      taskId: "task",
      taskTitle: "Greet",
      repositories: [{ name: "demo", cloneUrl: await seedRepository(dir), baseBranch: "main" }],
    });

    const registries = {
      bwrap: createDefaultToolRegistry({
        workspaceTools: { sandbox: { mode: "bwrap", hiddenPaths: [dataDir, workspacesDir] }, git },
      }),
      none: createDefaultToolRegistry({ workspaceTools: { sandbox: { mode: "none" }, git } }),
    };
    const ctx: ToolContext = {
      runId: "run",
      taskId: "task",
      projectId: "project",
      agentId: "agent",
      userId: "user",
      role: "senior-developer",
      signal: new AbortController().signal,
      workspace: { root: workspace.root, repositories: workspace.repositories, network: false },
    };
    const call = async (registry: keyof typeof registries, name: string, input: unknown, expect: RegExp) => {
      const result = await registries[registry].execute(name, input, ctx);
      if (result.isError || !expect.test(result.content))
        throw new Error(`${name} (${registry}) answered: ${result.content.slice(0, 300)}`);
    };

    const cases: Array<[label: string, once: () => Promise<void>]> = [
      ['baseline: spawn("true"), no registry', spawnTrue],
      ["registry alone: think (no process)", () => call("none", "think", { thought: "plan" }, /recorded/)],
      ["bash `echo ok`, sandbox none", () => call("none", "bash", { command: "echo ok" }, /^ok$/)],
      ["bash `echo ok`, sandbox bwrap", () => call("bwrap", "bash", { command: "echo ok" }, /^ok$/)],
      ["bash `true`, sandbox bwrap", () => call("bwrap", "bash", { command: "true" }, /^\(no output\)$/)],
      [
        "str_replace_based_edit_tool view, 40 lines",
        () =>
          call(
            "none",
            "str_replace_based_edit_tool",
            { command: "view", path: "demo/greet.ts" },
            /greeting39/,
          ),
      ],
    ];

    // Rounds take the cases in turn, so load from elsewhere on the machine falls on all of them alike.
    const samples = cases.map(() => [] as number[]);
    for (let round = 0; round < WARM_UP_ROUNDS + ROUNDS; round++) {
      for (const [index, [, once]] of cases.entries()) {
        const started = performance.now();
        await once();
        if (round >= WARM_UP_ROUNDS) samples[index]!.push(performance.now() - started);
      }
    }

    const summaries = cases.map(([label], index) => {
      const summary = summarise(samples[index]!);
      printLatency(label, summary);
      return summary;
    });
    const [spawned, , none, bwrap] = summaries;
    console.log(
      `at p50: the sandbox adds ${(bwrap!.p50 - none!.p50).toFixed(2)} ms to a command; a command costs ` +
        `${(none!.p50 - spawned!.p50).toFixed(2)} ms more than spawn("true") unsandboxed (two shells, the limits)`,
    );
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
}

// How long a coding step waits for its workspace with a repository of 10,000 files: the first open of a
// task (a partial clone over smart HTTP from the local fake GitHub, the checkout that fetches the blobs,
// the task branch, the size check) and every later open of the same task (the clone reused), and what the
// workspace then takes on disk. Client and server git share this machine's cores.
import { execFile, spawn } from "node:child_process";
import { lstat, mkdir, mkdtemp, readdir, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import path from "node:path";
import { promisify } from "node:util";
import { directorySize } from "../packages/engine/src/workspaces/directory-size";
import { createGitRunner, type GitRunner } from "../packages/engine/src/workspaces/git-runner";
import { createWorkspaceManager } from "../packages/engine/src/workspaces/workspace-manager";
import { startFakeGitHub } from "../packages/github/src/testing/index";
import { mib, ms, printLatency, summarise } from "./lib/stats";

const FILES = 10_000;
const PACKAGES = 25;
const AREAS = ["api", "components", "hooks", "lib", "models", "routes", "services", "utils"];
/** Fresh tasks, each cloned once; the p99 of so few is close to the maximum. */
const FIRST_OPENS = 12;
/** Opens of each task after its first. */
const REUSES_PER_TASK = 8;

/** A small deterministic generator, so every run benchmarks the same repository. */
function mulberry32(seed: number): () => number {
  let state = seed >>> 0;
  return () => {
    state = (state + 0x6d2b79f5) >>> 0;
    let t = state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

const WORDS =
  "const let return export import from function async await if else for while type interface string number boolean null undefined true false new class extends this map filter reduce push length value key item index result error data user task project config options request response state props children render handle update create delete find list get set".split(
    " ",
  );

/**
 * Source-like text: lines of keywords and numbered identifiers, so it compresses about as well as code.
 * Sizes are log-normal around 2 KiB (a few lines to a few dozen KiB), as in a typical application repository.
 */
function* repositoryFiles(): Generator<{ path: string; content: Buffer }> {
  const random = mulberry32(10_000);
  const word = () => WORDS[Math.floor(random() * WORDS.length)]!;
  const normal = () => Math.sqrt(-2 * Math.log(1 - random())) * Math.cos(2 * Math.PI * random());
  const perArea = Math.ceil(FILES / (PACKAGES * AREAS.length));
  let count = 0;
  for (let p = 0; p < PACKAGES; p++) {
    for (const area of AREAS) {
      for (let f = 0; f < perArea && count < FILES; f++, count++) {
        const size = Math.min(64 * 1024, Math.max(80, Math.round(2048 * Math.exp(0.9 * normal()))));
        const lines: string[] = [];
        let length = 0;
        while (length < size) {
          const indent = "  ".repeat(Math.floor(random() * 4));
          const tokens = Array.from({ length: 3 + Math.floor(random() * 8) }, () =>
            random() < 0.3 ? `${word()}${Math.floor(random() * 500)}` : word(),
          );
          const line = `${indent}${tokens.join(" ")};`;
          lines.push(line);
          length += line.length + 1;
        }
        const ext = random() < 0.7 ? "ts" : random() < 0.5 ? "tsx" : "json";
        yield {
          path: `packages/pkg-${p}/src/${area}/file-${f}.${ext}`,
          content: Buffer.from(`${lines.join("\n")}\n`),
        };
      }
    }
  }
}

/**
 * Adds the files to the bare repository as one commit on `branch` with `git fast-import`: one pack, written
 * in a second or two, where writing 10,000 files and `git add` would take far longer (and leave loose
 * objects for a background gc to race the seed's clean-up).
 */
async function commitFiles(gitDir: string, branch: string): Promise<{ files: number; bytes: number }> {
  const child = spawn("git", ["--git-dir", gitDir, "fast-import", "--quiet"], {
    stdio: ["pipe", "ignore", "pipe"],
  });
  let stderr = "";
  child.stderr.setEncoding("utf8").on("data", (chunk: string) => {
    stderr += chunk;
  });
  const exited = new Promise<number | null>((resolve) => child.once("close", resolve));
  const write = (data: string | Buffer) =>
    child.stdin.write(data)
      ? Promise.resolve()
      : new Promise((resolve) => child.stdin.once("drain", resolve));
  const message = "Add the application\n";
  await write(
    `commit refs/heads/${branch}\ncommitter Octo <octo@users.noreply.test> 1700000000 +0000\n` +
      `data ${Buffer.byteLength(message)}\n${message}from refs/heads/${branch}^0\n`,
  );
  let files = 0;
  let bytes = 0;
  for (const file of repositoryFiles()) {
    await write(`M 100644 inline ${file.path}\ndata ${file.content.length}\n`);
    await write(file.content);
    await write("\n");
    files += 1;
    bytes += file.content.length;
  }
  child.stdin.end();
  const code = await exited;
  if (code !== 0) throw new Error(`git fast-import failed (${code}): ${stderr}`);
  return { files, bytes };
}

const execGit = (args: string[]) => promisify(execFile)("git", args);

/** What this machine's disk charges for the files alone: the same 10,000 files written with plain `fs`. */
async function writeFilesAlone(dir: string): Promise<number> {
  const started = performance.now();
  const made = new Set<string>();
  for (const file of repositoryFiles()) {
    const target = path.join(dir, file.path);
    const parent = path.dirname(target);
    if (!made.has(parent)) {
      await mkdir(parent, { recursive: true });
      made.add(parent);
    }
    await writeFile(target, file.content);
  }
  return performance.now() - started;
}

type DiskUsage = { files: number; bytes: number; allocated: number };

/** Files, their bytes and the blocks they occupy (what `du` counts), without following symlinks. */
async function diskUsage(dir: string): Promise<DiskUsage> {
  const usage: DiskUsage = { files: 0, bytes: 0, allocated: 0 };
  const pending = [dir];
  while (pending.length > 0) {
    const current = pending.pop()!;
    for (const entry of await readdir(current, { withFileTypes: true })) {
      const full = path.join(current, entry.name);
      const stats = await lstat(full);
      usage.allocated += stats.blocks * 512;
      if (entry.isDirectory()) pending.push(full);
      else {
        usage.files += 1;
        usage.bytes += stats.size;
      }
    }
  }
  return usage;
}

const describeUsage = (usage: DiskUsage) =>
  `${usage.files} files, ${mib(usage.bytes)} (${mib(usage.allocated)} on disk)`;

/** The real runner, timing each git command by its subcommand while `phases` is set, to break the first open down. */
function timedGit(): { git: GitRunner; record: (phases: Map<string, number[]> | null) => void } {
  const real = createGitRunner();
  let recording: Map<string, number[]> | null = null;
  const git: GitRunner = async (command) => {
    const phases = recording;
    const started = performance.now();
    try {
      return await real(command);
    } finally {
      if (phases) {
        const name = command.args.find((arg) => !arg.startsWith("-")) ?? "git";
        phases.set(name, [...(phases.get(name) ?? []), performance.now() - started]);
      }
    }
  };
  return { git, record: (phases) => (recording = phases) };
}

const sum = (samples: number[]) => samples.reduce((a, b) => a + b, 0);

export async function run(): Promise<void> {
  const fake = await startFakeGitHub();
  const dir = await mkdtemp(path.join(tmpdir(), "crewdeck-bench-workspaces-"));
  try {
    const buildStarted = performance.now();
    fake.addUser("octo");
    fake.addRepo("octo/big", { private: true, defaultBranch: "main" });
    const token = fake.issueToken("octo");
    // The fake serves its bare repository over smart HTTP and reads its branches live, so files committed
    // straight into it are what a clone gets.
    const cloneUrl = fake.createGitRepository("octo/big");
    const gitDir = fake.repo("octo/big").gitDir!;
    // GitHub honours `--filter=blob:none`; git http-backend ignores it (and clones everything) unless told to.
    await execGit(["--git-dir", gitDir, "config", "uploadpack.allowFilter", "true"]);
    const { files, bytes } = await commitFiles(gitDir, "main");
    const served = await diskUsage(gitDir);
    console.log(
      `repository: ${files + 1} files of ${mib(bytes)} in ${PACKAGES * AREAS.length} directories, two commits; ` +
        `bare repository ${mib(served.allocated)} on disk (built in ${ms(performance.now() - buildStarted)})`,
    );

    const timing = timedGit();
    const workspaces = createWorkspaceManager({
      rootDir: path.join(dir, "workspaces"),
      git: timing.git,
      now: () => new Date(),
    });
    const open = (taskId: string) =>
      workspaces.open({
        taskId,
        taskTitle: "Add a dark mode",
        repositories: [{ name: "big", cloneUrl, baseBranch: "main" }],
        token,
      });

    // One clone to warm the code paths and the server's caches; its workspace gives the size figures.
    const warm = await open("warm-up");
    const checkedOut = await diskUsage(warm.repositories[0]!.path);
    const gitData = await diskUsage(warm.repositories[0]!.gitDir);
    const task = await diskUsage(path.join(dir, "workspaces", "warm-up"));
    if (checkedOut.files < FILES) throw new Error(`only ${checkedOut.files} files were checked out`);
    // A partial clone ends with two packs: commits and trees from the clone, blobs from the checkout's fetch.
    const packs = (await readdir(path.join(warm.repositories[0]!.gitDir, "objects", "pack"))).filter((f) =>
      f.endsWith(".pack"),
    );
    if (packs.length < 2) throw new Error("the clone was not partial: the server ignored --filter=blob:none");
    await workspaces.remove("warm-up");

    const first: number[] = [];
    const reused: number[] = [];
    const sizeCheck: number[] = [];
    const filesAlone: number[] = [];
    /** Per git subcommand, one sample per first open (a subcommand run twice in one open is summed). */
    const phases = new Map<string, number[]>();
    const outsideGit: number[] = [];
    for (let round = 0; round < FIRST_OPENS; round++) {
      const taskId = `task-${round}`;
      const inThisOpen = new Map<string, number[]>();
      timing.record(inThisOpen);
      let started = performance.now();
      const opened = await open(taskId);
      const elapsed = performance.now() - started;
      timing.record(null);
      first.push(elapsed);
      for (const [name, samples] of inThisOpen) phases.set(name, [...(phases.get(name) ?? []), sum(samples)]);
      outsideGit.push(elapsed - sum([...inThisOpen.values()].flat()));
      if (opened.repositories[0]?.baseBranch !== "main")
        throw new Error("the workspace lost its base branch");
      for (let i = 0; i < REUSES_PER_TASK; i++) {
        started = performance.now();
        await open(taskId);
        reused.push(performance.now() - started);
      }
      started = performance.now();
      await directorySize(path.join(dir, "workspaces", taskId));
      sizeCheck.push(performance.now() - started);
      await workspaces.remove(taskId);
      if (round % 4 === 0) {
        const alone = path.join(dir, "files-alone");
        filesAlone.push(await writeFilesAlone(alone));
        await rm(alone, { recursive: true, force: true });
      }
    }

    printLatency(`first open (partial clone + checkout), ${FILES} files`, summarise(first));
    for (const [name, samples] of phases) printLatency(`  git ${name}`, summarise(samples));
    printLatency("  outside git (size check, mkdir, realpath)", summarise(outsideGit));
    printLatency("reused open (same task, clone kept)", summarise(reused));
    printLatency("  of which the size check (walks every file)", summarise(sizeCheck));
    printLatency(`baseline: the ${FILES} files written with fs`, summarise(filesAlone));
    console.log(
      `workspace of one task: ${describeUsage(task)}; working tree ${describeUsage(checkedOut)}; git data ${describeUsage(gitData)}`,
    );
  } finally {
    await fake.close();
    await rm(dir, { recursive: true, force: true });
  }
}

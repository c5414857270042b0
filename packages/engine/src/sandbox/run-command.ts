// Runs one agent command in the task's workspace, under bubblewrap unless the operator explicitly chose
// `none`: a wall-clock timeout, a memory limit, an output limit, and a kill as soon as the run is cancelled.
import { spawn } from "node:child_process";
import { constants } from "node:fs";
import { access } from "node:fs/promises";
import { bwrapArgs } from "./bwrap-args";
import { OutputBuffer } from "./output-buffer";

export type SandboxMode = "bwrap" | "none";

/** How the operator set the sandbox up (AGENT_SANDBOX and friends); the same for every command. */
export type SandboxConfig = {
  mode: SandboxMode;
  /** Defaults to /usr/bin/bwrap. */
  bwrapPath?: string;
  /** Hidden from sandboxed commands (the server's data directory, other tasks' workspaces). */
  hiddenPaths?: readonly string[];
  /** PATH inside the command; defaults to the usual system directories. */
  path?: string;
};

export type CommandLimits = {
  timeoutMs: number;
  maxOutputChars: number;
  /** Address-space limit (`ulimit -v`) of the command and everything it starts. */
  memoryBytes: number;
};

export const DEFAULT_COMMAND_LIMITS: CommandLimits = {
  timeoutMs: 5 * 60_000,
  maxOutputChars: 30_000,
  memoryBytes: 4 * 1024 ** 3,
};

export const DEFAULT_BWRAP_PATH = "/usr/bin/bwrap";
const DEFAULT_PATH = "/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin";

export type RunCommandInput = {
  command: string;
  /** A real path; the command's working directory and the only place it may write. */
  workspaceRoot: string;
  network: boolean;
  /**
   * Paths the command may read but not change (only enforced under bwrap), mounted after the hidden ones,
   * so a repository's git directory beside the workspace stays readable.
   */
  readOnlyPaths?: readonly string[];
  signal: AbortSignal;
  limits?: Partial<CommandLimits>;
};

export type CommandOutcome =
  | { status: "refused"; message: string }
  | {
      status: "finished";
      /** null when the command was killed. */
      exitCode: number | null;
      output: string;
      truncated: boolean;
      timedOut: boolean;
      aborted: boolean;
      durationMs: number;
    };

export function bwrapMissingMessage(bwrapPath: string): string {
  return [
    `Commands are refused: the sandbox bubblewrap is not installed (looked for ${bwrapPath}).`,
    "Install it (Debian/Ubuntu: apt-get install bubblewrap; Fedora: dnf install bubblewrap; Alpine: apk add bubblewrap)",
    "and restart Crewdeck, or set AGENT_SANDBOX=none to run agents' commands unsandboxed on this machine.",
  ].join(" ");
}

export async function runCommand(config: SandboxConfig, input: RunCommandInput): Promise<CommandOutcome> {
  const limits = { ...DEFAULT_COMMAND_LIMITS, ...input.limits };
  if (input.signal.aborted) return finishedEarly("The command was not run: the step was cancelled.");

  // `ulimit -v` takes KiB; the outer shell sets it, then becomes the agent's own shell.
  const memoryKib = Math.max(1, Math.floor(limits.memoryBytes / 1024));
  const program = ["/bin/sh", "-c", `ulimit -v ${memoryKib} && exec /bin/sh -c "$1"`, "sh", input.command];

  let file: string;
  let args: string[];
  if (config.mode === "bwrap") {
    const bwrapPath = config.bwrapPath ?? DEFAULT_BWRAP_PATH;
    if (!(await isExecutable(bwrapPath)))
      return { status: "refused", message: bwrapMissingMessage(bwrapPath) };
    file = bwrapPath;
    args = bwrapArgs(
      {
        workspaceRoot: input.workspaceRoot,
        readOnlyPaths: input.readOnlyPaths ?? [],
        hiddenPaths: config.hiddenPaths ?? [],
        network: input.network,
      },
      program,
    );
  } else {
    [file, ...args] = program as [string, ...string[]];
  }

  const started = Date.now();
  // A fresh environment: the server's own (API keys, secrets) must never reach an agent's command.
  const child = spawn(file, args, {
    cwd: input.workspaceRoot,
    env: {
      PATH: config.path ?? DEFAULT_PATH,
      HOME: "/tmp",
      TMPDIR: "/tmp",
      LANG: "C.UTF-8",
      TERM: "dumb",
      CI: "true",
      GIT_TERMINAL_PROMPT: "0",
    },
    stdio: ["ignore", "pipe", "pipe"],
    // Its own process group, so a kill reaches everything the command started.
    detached: true,
  });

  const output = new OutputBuffer(limits.maxOutputChars);
  child.stdout.setEncoding("utf8").on("data", (chunk: string) => output.append(chunk));
  child.stderr.setEncoding("utf8").on("data", (chunk: string) => output.append(chunk));

  let timedOut = false;
  let aborted = false;
  const kill = () => {
    try {
      if (child.pid !== undefined) process.kill(-child.pid, "SIGKILL");
    } catch {
      // Already gone.
    }
    // A process that left the group (setsid) may hold the pipes open; stop waiting for it.
    setTimeout(() => {
      child.stdout.destroy();
      child.stderr.destroy();
    }, 1_000).unref();
  };
  const timer = setTimeout(() => {
    timedOut = true;
    kill();
  }, limits.timeoutMs);
  const onAbort = () => {
    aborted = true;
    kill();
  };
  input.signal.addEventListener("abort", onAbort, { once: true });

  try {
    const exitCode = await new Promise<number | null>((resolve, reject) => {
      child.once("error", reject);
      child.once("close", (code) => resolve(code));
    });
    return {
      status: "finished",
      exitCode: timedOut || aborted ? null : exitCode,
      output: output.text(),
      truncated: output.truncated,
      timedOut,
      aborted,
      durationMs: Date.now() - started,
    };
  } finally {
    clearTimeout(timer);
    input.signal.removeEventListener("abort", onAbort);
  }
}

function finishedEarly(message: string): CommandOutcome {
  return {
    status: "finished",
    exitCode: null,
    output: message,
    truncated: false,
    timedOut: false,
    aborted: true,
    durationMs: 0,
  };
}

async function isExecutable(file: string): Promise<boolean> {
  return access(file, constants.X_OK).then(
    () => true,
    () => false,
  );
}

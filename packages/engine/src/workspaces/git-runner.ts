// Runs the `git` CLI for the workspace manager and the read-only tools. A token reaches git only through
// this one command's environment (an `http.extraHeader` given as GIT_CONFIG_* variables), never in a
// remote URL, a config file, an error text or a log line; git never prompts.
import { spawn } from "node:child_process";

export type GitCommand = {
  args: readonly string[];
  cwd: string;
  /** A token for HTTPS remotes (a GitHub installation token); used for this command only. */
  token?: string | undefined;
  signal?: AbortSignal | undefined;
};

export type GitResult = { exitCode: number; stdout: string; stderr: string };

/** Runs one git command; resolves with its exit code (never rejects for a non-zero exit). */
export type GitRunner = (command: GitCommand) => Promise<GitResult>;

export class GitCommandError extends Error {
  override name = "GitCommandError";
  constructor(
    message: string,
    readonly result: GitResult,
  ) {
    super(message);
  }
}

// Repository hooks and the fsmonitor hook are commands; git run by the server must never run any that
// the repository's contents could have chosen.
const SAFETY_CONFIG = ["-c", "core.hooksPath=/dev/null", "-c", "core.fsmonitor=false"];

/** The environment that hands git a token for one command only. */
export function gitAuthEnv(token: string | undefined): Record<string, string> {
  if (!token) return {};
  const basic = Buffer.from(`x-access-token:${token}`).toString("base64");
  return {
    GIT_CONFIG_COUNT: "1",
    GIT_CONFIG_KEY_0: "http.extraHeader",
    GIT_CONFIG_VALUE_0: `Authorization: Basic ${basic}`,
  };
}

/** Removes every form of the token (plain and inside the Basic header) from text meant for people or models. */
export function scrubToken(text: string, token: string | undefined): string {
  if (!token) return text;
  const secrets = [token, Buffer.from(`x-access-token:${token}`).toString("base64")];
  return secrets.reduce((out, secret) => out.split(secret).join("[redacted]"), text);
}

export type GitRunnerOptions = {
  /** Defaults to `git` on the PATH. */
  gitPath?: string;
  /** Where git and its helpers are looked up; defaults to the usual system directories. */
  path?: string;
};

const DEFAULT_PATH = "/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin";

export function createGitRunner(options: GitRunnerOptions = {}): GitRunner {
  const gitPath = options.gitPath ?? "git";
  // Not the server's environment: its secrets have no business in git's (or a git helper's) hands.
  const baseEnv = { PATH: options.path ?? DEFAULT_PATH };
  return (command) =>
    new Promise<GitResult>((resolve, reject) => {
      const child = spawn(gitPath, [...SAFETY_CONFIG, ...command.args], {
        cwd: command.cwd,
        env: {
          ...baseEnv,
          GIT_TERMINAL_PROMPT: "0",
          GIT_ASKPASS: "",
          SSH_ASKPASS: "",
          // The system's and the user's git config stay out, so the server behaves the same everywhere.
          GIT_CONFIG_NOSYSTEM: "1",
          GIT_CONFIG_GLOBAL: "/dev/null",
          LANG: "C",
          ...gitAuthEnv(command.token),
        },
        stdio: ["ignore", "pipe", "pipe"],
        ...(command.signal && { signal: command.signal }),
      });
      let stdout = "";
      let stderr = "";
      child.stdout.setEncoding("utf8").on("data", (chunk: string) => {
        stdout += chunk;
      });
      child.stderr.setEncoding("utf8").on("data", (chunk: string) => {
        stderr += chunk;
      });
      child.once("error", (error) => reject(new Error(scrubToken(error.message, command.token))));
      child.once("close", (code) =>
        resolve({
          exitCode: code ?? -1,
          stdout: scrubToken(stdout, command.token),
          stderr: scrubToken(stderr, command.token),
        }),
      );
    });
}

/** Runs a git command that must succeed; its failure carries git's own message (token scrubbed). */
export async function runGitOrThrow(git: GitRunner, command: GitCommand, what: string): Promise<GitResult> {
  const result = await git(command);
  if (result.exitCode !== 0) {
    const detail = result.stderr.trim() || result.stdout.trim() || `exit code ${result.exitCode}`;
    throw new GitCommandError(`${what} failed: ${detail}`, result);
  }
  return result;
}

// The real entry point in its own process, for the suites that kill a server with SIGKILL and start it
// again over the same data, and for the one that runs what `pnpm start` runs.
import { type ChildProcess, spawn } from "node:child_process";
import { fileURLToPath } from "node:url";

const SERVER_DIR = fileURLToPath(new URL("../..", import.meta.url));

export type Child = { process: ChildProcess; url: string };

export type ChildCommand = { command: string; args: string[]; cwd: string };
const FROM_SOURCE: ChildCommand = {
  command: process.execPath,
  args: ["--import", "tsx", "src/index.ts"],
  cwd: SERVER_DIR,
};

/**
 * Starts `src/index.ts` (or another command that starts the server) in a child process of its own process
 * group, and resolves once it listens.
 */
export function startChild(env: Record<string, string>, how: ChildCommand = FROM_SOURCE): Promise<Child> {
  const child = spawn(how.command, how.args, {
    cwd: how.cwd,
    env: { ...process.env, NODE_ENV: "test", HOST: "127.0.0.1", PORT: "0", LOG_LEVEL: "info", ...env },
    stdio: ["ignore", "pipe", "pipe"],
    detached: how !== FROM_SOURCE,
  });
  return new Promise((resolve, reject) => {
    let output = "";
    const onData = (chunk: Buffer) => {
      output += chunk.toString();
      const match = output.match(/listening on (http:\/\/[^\s]+)/);
      if (match?.[1]) resolve({ process: child, url: match[1] });
    };
    child.stdout?.on("data", onData);
    child.stderr?.on("data", (chunk: Buffer) => {
      output += chunk.toString();
    });
    child.once("exit", (code) => reject(new Error(`server exited (${code}) before listening:\n${output}`)));
  });
}

const WORKER_FROM_SOURCE: ChildCommand = {
  command: process.execPath,
  args: ["--import", "tsx", "src/worker.ts"],
  cwd: SERVER_DIR,
};

/** Starts `src/worker.ts` (what `pnpm worker` runs) in a child process; resolves once it takes jobs. */
export function startWorkerChild(
  env: Record<string, string>,
  how: ChildCommand = WORKER_FROM_SOURCE,
): Promise<Child> {
  const child = spawn(how.command, how.args, {
    cwd: how.cwd,
    env: { ...process.env, NODE_ENV: "test", LOG_LEVEL: "info", ...env },
    stdio: ["ignore", "pipe", "pipe"],
  });
  return new Promise((resolve, reject) => {
    let output = "";
    child.stdout?.on("data", (chunk: Buffer) => {
      output += chunk.toString();
      if (/Crewdeck worker .* ready/.test(output)) resolve({ process: child, url: "" });
    });
    child.stderr?.on("data", (chunk: Buffer) => {
      output += chunk.toString();
    });
    child.once("exit", (code) =>
      reject(new Error(`worker exited (${code}) before it was ready:\n${output}`)),
    );
  });
}

/** SIGKILL: no shutdown hook runs, as when the machine loses power or the OOM killer strikes. */
export const killed = (child: Child) =>
  new Promise<void>((resolve) => {
    if (child.process.exitCode !== null || child.process.signalCode !== null) return resolve();
    child.process.once("exit", () => resolve());
    child.process.kill("SIGKILL");
  });

export async function api(child: Child, method: string, apiPath: string, token?: string, body?: unknown) {
  const res = await fetch(`${child.url}/api/v1${apiPath}`, {
    method,
    headers: {
      ...(token ? { authorization: `Bearer ${token}` } : {}),
      ...(body ? { "content-type": "application/json" } : {}),
    },
    body: body === undefined ? undefined : JSON.stringify(body),
  });
  // biome-ignore lint/suspicious/noExplicitAny: the test reads fields of the contract's bodies
  return { status: res.status, body: (await res.json()) as any };
}

/**
 * A newcomer on a child server with a project of their own (the default crew) and its architect, the agent
 * the scale-out suites talk to.
 */
export async function newcomerWithProject(child: Child, name: string, projectName: string) {
  const reg = await api(child, "POST", "/auth/register", undefined, {
    email: `${name}@example.test`,
    username: name,
    password: "correct horse battery",
  });
  const token = reg.body.access_token as string;
  const projectId = (await api(child, "POST", "/projects", token, { name: projectName })).body.id as string;
  const crew = (await api(child, "GET", `/projects/${projectId}/agents`, token)).body.items as {
    id: string;
    role: string;
  }[];
  const architect = crew.find((agent) => agent.role === "architect")!;
  return { token, projectId, architect };
}

/** A conversation in the project with the architect alone; its id. */
export async function architectConversation(
  child: Child,
  token: string,
  projectId: string,
  architectId: string,
  title: string,
) {
  const conversation = await api(child, "POST", "/conversations", token, {
    title,
    projectId,
    agentIds: [architectId],
  });
  return conversation.body.id as string;
}

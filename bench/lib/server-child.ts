// The real server in a process of its own, as it runs in production, for the benchmarks whose token source
// must be another process (a provider): started by `startServerChild`, told what to do over IPC, so the
// bench can read its memory, wait for its replies to finish, profile it or take a heap snapshot of it.
import { type ChildProcess, fork } from "node:child_process";
import { writeFile } from "node:fs/promises";
import { Session } from "node:inspector/promises";
import { fileURLToPath } from "node:url";
import v8 from "node:v8";
import { nextMessage } from "./child-messages";
import { collectGarbage } from "./stats";

export type ChildMemory = { rss: number; heapUsed: number; heapTotal: number; external: number };

/** What a relay in a child process (this server, or the minimal one) answers to. */
export type RelayChild = {
  process: ChildProcess;
  url: string;
  /** After a full garbage collection. */
  memory(): Promise<ChildMemory>;
  /** CPU-profiles the child until `stopProfile`, written to `file`. */
  startProfile(): Promise<void>;
  stopProfile(file: string): Promise<void>;
  heapSnapshot(file: string): Promise<void>;
  close(): Promise<void>;
};

type Request = { type: string; id: number; file?: string };

/** Asks the child something and waits for the answer with the same id. */
export function asker(child: ChildProcess) {
  let nextId = 0;
  return <T = Record<string, unknown>>(
    type: string,
    extra: Record<string, unknown> = {},
    timeoutMs = 600_000,
  ) =>
    new Promise<T>((resolve, reject) => {
      const id = ++nextId;
      const timer = setTimeout(
        () => reject(new Error(`no answer to "${type}" in ${timeoutMs} ms`)),
        timeoutMs,
      );
      const onMessage = (message: { type: string; id?: number; error?: string }) => {
        if (message.id !== id) return;
        clearTimeout(timer);
        child.off("message", onMessage);
        if (message.error) reject(new Error(message.error));
        else resolve(message as T);
      };
      child.on("message", onMessage);
      child.send({ type, id, ...extra });
    });
}

/** Forks `module` (a bench/lib file) with `config`, resolves once it says where it listens. */
export async function forkRelay(module: string, config: unknown): Promise<RelayChild> {
  const child = fork(module, [JSON.stringify(config)], { execArgv: ["--import", "tsx"] });
  const exited = new Promise<never>((_, reject) =>
    child.once("exit", (code) => reject(new Error(`${module} exited (${code}) before listening`))),
  );
  exited.catch(() => {});
  const { url } = await Promise.race([nextMessage<{ url: string }>(child, "listening", 120_000), exited]);
  const ask = asker(child);
  return {
    process: child,
    url,
    memory: () => ask<ChildMemory>("memory"),
    startProfile: async () => {
      await ask("profile-start");
    },
    stopProfile: async (file) => {
      await ask("profile-stop", { file });
    },
    heapSnapshot: async (file) => {
      await ask("heap-snapshot", { file });
    },
    close: async () => {
      if (child.exitCode !== null) return;
      const gone = new Promise((resolve) => child.once("exit", resolve));
      child.send({ type: "stop" });
      await gone;
    },
  };
}

/** What every relay child answers: memory, profiles, heap snapshots. Returns false for other requests. */
export function serveCommonRequests(): (request: Request) => Promise<Record<string, unknown> | null> {
  let session: Session | null = null;
  return async (request) => {
    switch (request.type) {
      case "memory": {
        collectGarbage();
        const { rss, heapUsed, heapTotal, external } = process.memoryUsage();
        return { rss, heapUsed, heapTotal, external };
      }
      case "profile-start":
        session = new Session();
        session.connect();
        await session.post("Profiler.enable");
        await session.post("Profiler.setSamplingInterval", { interval: 200 });
        await session.post("Profiler.start");
        return {};
      case "profile-stop": {
        if (!session || !request.file) throw new Error("no profile under way");
        const { profile } = await session.post("Profiler.stop");
        await writeFile(request.file, JSON.stringify(profile));
        session.disconnect();
        session = null;
        return {};
      }
      case "heap-snapshot":
        collectGarbage();
        v8.writeHeapSnapshot(request.file);
        return {};
      default:
        return null;
    }
  };
}

/** Runs `handle` for each request from the parent and answers it (or with the error it threw). */
export function answerParent(handle: (request: Request) => Promise<Record<string, unknown> | null>) {
  process.on("message", (request: Request) => {
    void handle(request).then(
      (answer) => {
        if (answer) process.send?.({ type: `${request.type}:done`, id: request.id, ...answer });
      },
      (error: unknown) => process.send?.({ type: "error", id: request.id, error: String(error) }),
    );
  });
}

export const serverChildModule = fileURLToPath(import.meta.url);

// Run as a child: start the server with the environment given on the command line.
if (process.argv[1] === serverChildModule && process.send) {
  const { parseEnv } = await import("../../apps/server/src/env");
  const { startServer } = await import("../../apps/server/src/server");
  const server = await startServer(parseEnv(JSON.parse(process.argv[2] ?? "{}") as Record<string, string>));
  const common = serveCommonRequests();
  answerParent(async (request) => {
    if (request.type === "idle") {
      await server.deps.engine.replies.idle();
      return {};
    }
    if (request.type === "stop") {
      await server.close();
      process.exit(0);
    }
    return common(request);
  });
  process.send({ type: "listening", url: server.url });
}

// A real Redis for the suites that run Crewdeck scaled out (issue 19): Debian's `redis-server`, started on a
// free loopback port with nothing persisted, and stopped after. Without the binary the suites are skipped
// locally, and fail where they are required (CI sets CREWDECK_REDIS_REQUIRED).
import { type ChildProcess, spawn } from "node:child_process";
import { access } from "node:fs/promises";
import { createServer } from "node:net";

const REDIS_SERVER = process.env.REDIS_SERVER_PATH ?? "/usr/bin/redis-server";

export type TestRedis = {
  /** `redis://127.0.0.1:<port>`, for EVENT_BUS_URL, QUEUE_URL and the limiters. */
  url: string;
  port: number;
  stop(): Promise<void>;
};

export async function redisServerAvailable(): Promise<boolean> {
  const found = await access(REDIS_SERVER).then(
    () => true,
    () => false,
  );
  if (!found && process.env.CREWDECK_REDIS_REQUIRED) {
    throw new Error(`redis-server is required for the scale-out tests but ${REDIS_SERVER} is missing`);
  }
  return found;
}

/** A port nobody listens on now, so a server can be told its own port or URL before it starts. */
export function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const probe = createServer();
    probe.once("error", reject);
    probe.listen(0, "127.0.0.1", () => {
      const address = probe.address();
      const port = typeof address === "object" && address ? address.port : 0;
      probe.close(() => resolve(port));
    });
  });
}

/**
 * Starts a throwaway Redis and resolves once it accepts connections. `port`: the port of one stopped
 * before, so the processes connected to it find Redis back (empty: nothing is persisted).
 */
export async function startRedisServer(options: { port?: number } = {}): Promise<TestRedis> {
  const port = options.port ?? (await freePort());
  const child: ChildProcess = spawn(
    REDIS_SERVER,
    [
      "--port",
      String(port),
      "--bind",
      "127.0.0.1",
      "--save",
      "",
      "--appendonly",
      "no",
      "--protected-mode",
      "yes",
    ],
    { stdio: ["ignore", "pipe", "pipe"] },
  );
  let output = "";
  await new Promise<void>((resolve, reject) => {
    const onData = (chunk: Buffer) => {
      output += chunk.toString();
      if (output.includes("Ready to accept connections")) {
        child.stdout?.off("data", onData);
        resolve();
      }
    };
    child.stdout?.on("data", onData);
    child.stderr?.on("data", (chunk: Buffer) => {
      output += chunk.toString();
    });
    child.once("exit", (code) => reject(new Error(`redis-server exited (${code}):\n${output}`)));
    child.once("error", reject);
  });
  // Keep draining its output so a chatty server never blocks on a full pipe.
  child.stdout?.resume();
  child.stderr?.resume();
  return {
    url: `redis://127.0.0.1:${port}`,
    port,
    stop: () =>
      new Promise<void>((resolve) => {
        if (child.exitCode !== null || child.signalCode !== null) return resolve();
        child.once("exit", () => resolve());
        child.kill("SIGTERM");
      }),
  };
}

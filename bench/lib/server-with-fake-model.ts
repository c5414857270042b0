// A real server in this process on a temporary data directory, its Anthropic provider pointed at the local
// fake, and one registered user: what the benchmarks that make the agents talk start from.
import { mkdtemp, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import path from "node:path";
import { parseEnv } from "../../apps/server/src/env";
import { type RunningServer, startServer } from "../../apps/server/src/server";
import { type FakeAnthropic, startFakeAnthropic } from "../../packages/engine/src/testing/index";

const API_KEY = "sk-ant-bench";

export type ServerWithFakeModel = {
  server: RunningServer;
  fake: FakeAnthropic;
  /** What the fake expects from its clients, for a benchmark that calls it directly. */
  fakeApiKey: string;
  token: string;
  userId: string;
  /** Another person (the server must allow sign-up): their access token and id. */
  register: (name: string) => Promise<{ access_token: string; user: { id: string } }>;
  /** JSON in and out of `/api/v1`, as the bench user; throws on a status of 300 or more. */
  api: <T = Record<string, unknown>>(method: string, route: string, body?: unknown) => Promise<T>;
  close: () => Promise<void>;
};

export async function startServerWithFakeModel(
  name: string,
  env: Record<string, string> = {},
): Promise<ServerWithFakeModel> {
  const dataDir = await mkdtemp(path.join(tmpdir(), `crewdeck-bench-${name}-`));
  const fake = await startFakeAnthropic({ apiKey: API_KEY });
  let server: RunningServer;
  try {
    server = await startServer(
      parseEnv({
        NODE_ENV: "production",
        PORT: "0",
        HOST: "127.0.0.1",
        DATA_DIR: dataDir,
        LOG_LEVEL: "silent",
        WEB_DIST_DIR: path.join(dataDir, "no-web-build"),
        ANTHROPIC_API_KEY: API_KEY,
        ANTHROPIC_BASE_URL: fake.url,
        // The limits protect a shared server from people; a benchmark is one person going fast on purpose.
        RATE_LIMIT_GENERAL_PER_MINUTE: "1000000",
        RATE_LIMIT_TASK_START_PER_HOUR: "1000000",
        ...env,
      }),
    );
  } catch (error) {
    await fake.close();
    await rm(dataDir, { recursive: true, force: true });
    throw error;
  }

  const call = async <T>(token: string | null, method: string, route: string, body?: unknown) => {
    const res = await fetch(`${server.url}/api/v1${route}`, {
      method,
      headers: {
        ...(token ? { authorization: `Bearer ${token}` } : {}),
        ...(body === undefined ? {} : { "content-type": "application/json" }),
      },
      body: body === undefined ? undefined : JSON.stringify(body),
    });
    const json = (await res.json()) as T;
    if (res.status >= 300) throw new Error(`${method} ${route}: ${res.status} ${JSON.stringify(json)}`);
    return json;
  };

  const close = async () => {
    await server.close();
    await fake.close();
    await rm(dataDir, { recursive: true, force: true });
  };
  const register = (name: string) =>
    call<{ access_token: string; user: { id: string } }>(null, "POST", "/auth/register", {
      email: `${name}@example.test`,
      username: name,
      password: "correct horse battery",
    });
  try {
    const registered = await register("bench");
    const token = registered.access_token;
    return {
      server,
      fake,
      fakeApiKey: API_KEY,
      token,
      userId: registered.user.id,
      register,
      api: (method, route, body) => call(token, method, route, body),
      close,
    };
  } catch (error) {
    await close();
    throw error;
  }
}

export type CrewAgent = { id: string; name: string; role: string };

/** A new project with its default crew, in pipeline order. */
export async function createProject(bench: ServerWithFakeModel, name: string) {
  const project = await bench.api<{ id: string }>("POST", "/projects", { name });
  const agents = await bench.api<{ items: CrewAgent[] }>("GET", `/projects/${project.id}/agents`);
  return { projectId: project.id, crew: agents.items };
}

// Starts the real server on a temporary libSQL file and talks to it over real HTTP.

import { mkdtemp, rm } from "node:fs/promises";
import { request as httpRequest } from "node:http";
import { tmpdir } from "node:os";
import path from "node:path";
import { type FakeAnthropic, freePort, startFakeAnthropic } from "@crewdeck/engine/testing";
import { type FakeGitHub, startFakeGitHub } from "@crewdeck/github/testing";
import { generate } from "otplib";
import { parseEnv } from "../env";
import type { Logger } from "../http/app";
import { type RunningServer, startServer } from "../server";

export type TestServer = RunningServer & {
  dataDir: string;
  /** fetch against the server's /api/v1, JSON in and out. */
  api: (method: string, path: string, opts?: ApiCallOptions) => Promise<ApiResponse>;
  stop: () => Promise<void>;
};

export type ApiCallOptions = {
  token?: string;
  apiKey?: string;
  body?: unknown;
  headers?: Record<string, string>;
  /**
   * A loopback address to send from (127.0.0.0/8, e.g. `127.0.4.2`): the server sees another client
   * address, as it would another person, with no proxy headers involved.
   */
  from?: string;
};
// biome-ignore lint/suspicious/noExplicitAny: tests assert response bodies field by field
export type ApiResponse = { status: number; headers: Headers; body: any };

/**
 * A server on a fresh temporary data directory, or on `env.DATA_DIR` to restart over an earlier one's data.
 * `logger` receives what the server logs instead of the console (LOG_LEVEL then governs nothing).
 */
export async function startTestServer(
  env: Record<string, string> = {},
  opts: { logger?: Logger } = {},
): Promise<TestServer> {
  const dataDir = env.DATA_DIR ?? (await mkdtemp(path.join(tmpdir(), "crewdeck-test-")));
  const config = parseEnv({
    NODE_ENV: "test",
    PORT: "0",
    HOST: "127.0.0.1",
    DATA_DIR: dataDir,
    LOG_LEVEL: "silent",
    WEB_DIST_DIR: path.join(dataDir, "no-web-build"),
    // Suites register many people; those about sign-up itself set `invite` or `closed` explicitly.
    SIGNUP_MODE: "open",
    ...env,
  });
  const running = await startServer(config, opts.logger);
  const api = async (method: string, apiPath: string, opts: ApiCallOptions = {}): Promise<ApiResponse> => {
    const headers: Record<string, string> = { ...opts.headers };
    if (opts.token) headers.authorization = `Bearer ${opts.token}`;
    if (opts.apiKey) headers["x-api-key"] = opts.apiKey;
    if (opts.body !== undefined) headers["content-type"] = "application/json";
    const url = `${running.url}/api/v1${apiPath}`;
    const payload = opts.body === undefined ? undefined : JSON.stringify(opts.body);
    const res = opts.from
      ? await requestFrom(opts.from, url, { method, headers, body: payload })
      : await fetch(url, { method, headers, body: payload });
    const text = await res.text();
    let body: unknown = text;
    try {
      body = text ? JSON.parse(text) : undefined;
    } catch {
      // not JSON: keep the text
    }
    return { status: res.status, headers: res.headers, body };
  };
  return {
    ...running,
    dataDir,
    api,
    stop: async () => {
      await running.close();
      await rm(dataDir, { recursive: true, force: true });
    },
  };
}

/** fetch's answer, over a connection from a chosen local address (fetch cannot choose one). */
export function requestFrom(
  localAddress: string,
  url: string,
  init: { method: string; headers?: Record<string, string>; body?: string | undefined },
): Promise<Response> {
  return new Promise((resolve, reject) => {
    const req = httpRequest(
      url,
      { method: init.method, headers: init.headers, localAddress, agent: false },
      (res) => {
        const chunks: Buffer[] = [];
        res.on("data", (chunk: Buffer) => chunks.push(chunk));
        res.on("error", reject);
        res.on("end", () => {
          const headers = new Headers();
          for (const [name, value] of Object.entries(res.headers)) {
            for (const one of Array.isArray(value) ? value : value === undefined ? [] : [value]) {
              headers.append(name, one);
            }
          }
          resolve(new Response(Buffer.concat(chunks), { status: res.statusCode ?? 0, headers }));
        });
      },
    );
    req.on("error", reject);
    req.end(init.body);
  });
}

let counter = 0;

/** Registers a fresh user and returns their token response. */
export async function registerUser(server: TestServer, name = `user${++counter}${Date.now() % 100000}`) {
  const res = await server.api("POST", "/auth/register", {
    body: { email: `${name}@example.test`, username: name, password: "correct horse battery" },
  });
  if (res.status !== 200) throw new Error(`register failed: ${res.status} ${JSON.stringify(res.body)}`);
  return {
    ...res.body,
    password: "correct horse battery",
    email: `${name}@example.test`,
    username: name,
  } as {
    access_token: string;
    refresh_token: string;
    user: { id: string; role: string; email: string };
    password: string;
    email: string;
    username: string;
  };
}

export type TestUser = Awaited<ReturnType<typeof registerUser>>;

/**
 * Calls /api/v1 as a user: `apiAs(() => server)` in a suite whose server starts in `beforeAll`, so the
 * server is looked up at each call.
 */
export const apiAs =
  (server: () => TestServer) =>
  (user: { access_token: string }, method: string, path: string, body?: unknown) =>
    server().api(method, path, { token: user.access_token, body });

/**
 * Calls /api/v1 as a user by verb: `as(user).get(path)`, `.post(path, body = {})`, `.patch(path, body)`, with
 * `as = verbsAs(() => server)` in a suite whose server starts in `beforeAll`.
 */
export const verbsAs = (server: () => TestServer) => (user: { access_token: string }) => {
  const call = apiAs(server);
  return {
    get: (path: string) => call(user, "GET", path),
    post: (path: string, body: unknown = {}) => call(user, "POST", path, body),
    patch: (path: string, body: unknown) => call(user, "PATCH", path, body),
  };
};

/** Signs `user` out on every device (POST /auth/logout with allDevices), so their tokens stop working. */
export async function signOutEverywhere(server: TestServer, user: { access_token: string }): Promise<void> {
  const res = await server.api("POST", "/auth/logout", {
    token: user.access_token,
    body: { allDevices: true },
  });
  if (res.status !== 200) throw new Error(`logout failed: ${res.status} ${JSON.stringify(res.body)}`);
}

/** A new project of `token`'s owner and a conversation with the crew agents of `roles`, in that order. */
export async function createCrewConversation(
  server: TestServer,
  token: string,
  roles: string[],
  extra: Record<string, unknown> = {},
) {
  const project = await server.api("POST", "/projects", {
    token,
    body: { name: `Chat ${Math.random().toString(36).slice(2, 8)}` },
  });
  if (project.status !== 200) throw new Error(`project: ${project.status} ${JSON.stringify(project.body)}`);
  const crew = (await server.api("GET", `/projects/${project.body.id}/agents`, { token })).body
    .items as CrewAgent[];
  const agents = roles.map((role) => crew.find((a) => a.role === role)!);
  const conversation = await server.api("POST", "/conversations", {
    token,
    body: { title: "Planning", projectId: project.body.id, agentIds: agents.map((a) => a.id), ...extra },
  });
  if (conversation.status !== 200) {
    throw new Error(`conversation: ${conversation.status} ${JSON.stringify(conversation.body)}`);
  }
  return { projectId: project.body.id as string, agents, conversation: conversation.body };
}

export type CrewAgent = { id: string; name: string; role: string };

/**
 * Makes someone a member of a project the only way there is: the owner invites them (by their id) and they
 * accept. Answers the acceptance; throws when the invitation could not be created.
 */
export async function addMember(
  server: TestServer,
  ownerToken: string,
  projectId: string,
  member: { access_token: string; user: { id: string } },
  role: "owner" | "maintainer" | "viewer",
): Promise<ApiResponse> {
  const invited = await server.api("POST", `/projects/${projectId}/members`, {
    token: ownerToken,
    body: { userId: member.user.id, role },
  });
  if (invited.status !== 200)
    throw new Error(`invite failed: ${invited.status} ${JSON.stringify(invited.body)}`);
  return server.api("POST", `/invitations/${invited.body.invitation.id}/accept`, {
    token: member.access_token,
  });
}

/** The default crew of §3 in pipeline order, spelled out so tests check the contract, not the code. */
export const EXPECTED_DEFAULT_CREW = [
  "product-manager",
  "project-manager",
  "architect",
  "senior-developer",
  "junior-developer",
  "qa-engineer",
];

/** A server whose Anthropic provider is a local fake speaking the real wire protocol. */
export async function startTestServerWithModel(
  env: Record<string, string> = {},
): Promise<{ server: TestServer; fake: FakeAnthropic; stop: () => Promise<void> }> {
  const apiKey = "sk-ant-test";
  const fake = await startFakeAnthropic({ apiKey });
  const server = await startTestServer({
    ANTHROPIC_API_KEY: apiKey,
    ANTHROPIC_BASE_URL: fake.url,
    LOG_LEVEL: process.env.TEST_LOG_LEVEL ?? "silent",
    ...env,
  });
  return {
    server,
    fake,
    stop: async () => {
      await server.stop();
      await fake.close();
    },
  };
}

/** GITHUB_* settings that point a test server at a local GitHub fake (`startFakeGitHub()`). */
export const githubFakeEnv = (fake: {
  webUrl: string;
  apiUrl: string;
  oauthApp: { clientId: string; clientSecret: string };
}): Record<string, string> => ({
  GITHUB_WEB_URL: fake.webUrl,
  GITHUB_API_URL: fake.apiUrl,
  GITHUB_CLIENT_ID: fake.oauthApp.clientId,
  GITHUB_CLIENT_SECRET: fake.oauthApp.clientSecret,
  // The scheduled sync stays off unless a test turns it on; tests run a round with `githubSync.runOnce()`.
  GITHUB_SYNC_INTERVAL_MINUTES: "0",
});

/**
 * A server whose GitHub is the local fake (web, API under /api/v3, its OAuth app), and whose APP_URL is its
 * own address, so GitHub's redirect comes back to it. `configured: false` leaves GitHub unconfigured.
 */
export async function startTestServerWithGitHub(
  env: Record<string, string> = {},
  opts: { configured?: boolean } = {},
): Promise<{ server: TestServer; github: FakeGitHub; stop: () => Promise<void> }> {
  const github = await startFakeGitHub();
  const port = env.PORT ?? String(await freePort());
  const server = await startTestServer({
    PORT: port,
    APP_URL: `http://127.0.0.1:${port}`,
    ...githubFakeEnv(github),
    ...(opts.configured === false && { GITHUB_CLIENT_ID: "", GITHUB_CLIENT_SECRET: "" }),
    ...env,
  });
  return {
    server,
    github,
    stop: async () => {
      await server.stop();
      await github.close();
    },
  };
}

/** The authenticator's code for a TOTP secret right now. */
export const totpCode = (secret: string): Promise<string> => generate({ secret });

/** Turns two-factor sign-in on for a user (enable, then confirm with a first code); answers its TOTP secret. */
export async function enableTwoFactor(
  server: TestServer,
  user: { access_token: string; password: string },
): Promise<{ secret: string; backupCodes: string[] }> {
  const enable = await server.api("POST", "/auth/2fa/enable", {
    token: user.access_token,
    body: { password: user.password },
  });
  if (enable.status !== 200)
    throw new Error(`2fa enable failed: ${enable.status} ${JSON.stringify(enable.body)}`);
  const secret = new URL(enable.body.totpUri).searchParams.get("secret");
  if (!secret) throw new Error(`no secret in ${enable.body.totpUri}`);
  const confirm = await server.api("POST", "/auth/2fa/verify", {
    token: user.access_token,
    body: { code: await totpCode(secret) },
  });
  if (confirm.status !== 200) throw new Error(`2fa confirm failed: ${confirm.status}`);
  return { secret, backupCodes: enable.body.backupCodes };
}

// Every operation of the router, generated from the published OpenAPI document (which is generated from
// the router), called by an outsider with the ids of another user's resources. A new procedure is covered
// the day it is added; a path parameter this file does not know fails the suite until it is taught.
import { appRouter, type ProcedureMeta } from "@crewdeck/api";
import type { FakeGitHub } from "@crewdeck/github/testing";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { type ApiResponse, registerUser, startTestServerWithGitHub, type TestServer } from "./harness";
import { sampleFromSchema } from "./sample-from-schema";

type Operation = {
  method: string;
  path: string;
  operationId: string;
  bodySchema?: unknown;
  /** Query parameters the operation requires, with their schemas. */
  query: { name: string; schema: unknown }[];
  /** Needs no credentials (`security: []`): sign-up, sign-in, refresh. */
  isPublic: boolean;
};

let server: TestServer;
let github: FakeGitHub;
let stopServer: () => Promise<void>;
let ownerToken: string;
let outsiderToken: string;
/** The owner's resources by the name of the parameter or field that refers to them. */
let owned: Record<string, string>;
let snapshot: Record<string, unknown>;
let catalogModelId: string;

const PNG = Buffer.from(
  "89504e470d0a1a0a0000000d4948445200000001000000010806000000" +
    "1f15c4890000000d49444154789c6360000002000100ffff03000006000557bfabd40000000049454e44ae426082",
  "hex",
);

async function ok(res: ApiResponse, what: string) {
  if (res.status >= 300) throw new Error(`${what}: ${res.status} ${JSON.stringify(res.body)}`);
  return res.body;
}

/** What the owner sees of their own world; compared before and after the outsider's attempts. */
async function ownerView() {
  const t = { token: ownerToken };
  const get = async (path: string) => (await server.api("GET", path, t)).body;
  const file = await fetch(`${server.url}/api/v1/files/${owned.fileId}`, {
    headers: { authorization: `Bearer ${ownerToken}` },
  });
  return {
    project: await get(`/projects/${owned.projectId}`),
    members: await get(`/projects/${owned.projectId}/members`),
    invitations: await get(`/invitations?projectId=${owned.projectId}`),
    agents: await get(`/projects/${owned.projectId}/agents`),
    conversation: await get(`/conversations/${owned.conversationId}`),
    privateConversation: await get(`/conversations/${owned.privateConversationId}`),
    task: await get(`/tasks/${owned.taskId}`),
    privateTask: await get(`/tasks/${owned.privateTaskId}`),
    notifications: await get("/notifications"),
    apiKeys: await get("/api-keys"),
    budgetLimits: await get("/budget/limits"),
    githubStatus: await get("/github/status"),
    githubRepositories: await get("/repositories"),
    file: { status: file.status, bytes: Buffer.from(await file.arrayBuffer()).toString("hex") },
    usage: await get(`/usage/projects/${owned.projectId}?timeRange=2`),
  };
}

beforeAll(async () => {
  ({
    server,
    github,
    stop: stopServer,
  } = await startTestServerWithGitHub({
    RATE_LIMIT_REGISTER_MAX: "1000",
    RATE_LIMIT_GENERAL_PER_MINUTE: "100000",
  }));
  await registerUser(server, "siteadmin"); // the first account is the admin; neither party below is
  const owner = await registerUser(server, "owner");
  const outsider = await registerUser(server, "outsider");
  ownerToken = owner.access_token;
  outsiderToken = outsider.access_token;
  const t = { token: ownerToken };

  // The owner's GitHub account, connected and synced: their repositories are theirs alone.
  github.addUser("owner-gh");
  github.addRepo("owner-gh/vault", { private: true, language: "Go" });
  const connectUrl = await ok(await server.api("GET", "/github/connect-url", t), "connect url");
  await ok(
    await server.api("POST", "/github/connect", {
      ...t,
      body: { code: github.createCode("owner-gh"), state: connectUrl.state },
    }),
    "github connect",
  );
  await ok(await server.api("POST", "/repositories/sync", { ...t, body: {} }), "github sync");
  const synced = await ok(await server.api("GET", "/repositories", t), "github repositories");

  const project = await ok(
    await server.api("POST", "/projects", {
      ...t,
      body: {
        name: "Private",
        repositories: [{ name: "api", full_name: "owner/api", language: "TypeScript" }],
      },
    }),
    "project",
  );
  const agentId =
    project.agents?.[0]?.id ??
    (await server.api("GET", `/projects/${project.id}/agents`, t)).body.items[0].id;
  const repoId = project.repositories[0].id;

  const form = new FormData();
  form.append("file", new Blob([PNG], { type: "image/png" }), "pixel.png");
  const upload = await fetch(`${server.url}/api/v1/files`, {
    method: "POST",
    headers: { authorization: `Bearer ${ownerToken}` },
    body: form,
  });
  const file = (await upload.json()) as { id: string };
  if (upload.status !== 201) throw new Error(`upload: ${upload.status} ${JSON.stringify(file)}`);

  const task = await ok(
    await server.api("POST", "/tasks", { ...t, body: { title: "Secret task", projectId: project.id } }),
    "task",
  );
  const privateTask = await ok(
    await server.api("POST", "/tasks", { ...t, body: { title: "My own task" } }),
    "private task",
  );
  const conversation = await ok(
    await server.api("POST", "/conversations", {
      ...t,
      body: { title: "Plans", projectId: project.id },
    }),
    "conversation",
  );
  const privateConversation = await ok(
    await server.api("POST", "/conversations", { ...t, body: { title: "Diary" } }),
    "private conversation",
  );
  const message = await ok(
    await server.api("POST", `/conversations/${conversation.id}/messages`, {
      ...t,
      body: { content: "the launch code is 1234", attachmentIds: [file.id] },
    }),
    "message",
  );
  const apiKey = await ok(await server.api("POST", "/api-keys", { ...t, body: { name: "ci" } }), "api key");
  const sessions = await ok(await server.api("GET", "/auth/sessions", t), "sessions");
  const { notifyUser } = await import("@crewdeck/api");
  const notification = await notifyUser(server.deps.db, {
    userId: owner.user.id,
    type: "task_completed",
    title: "Done",
    message: "Your task finished",
  });
  const models = await ok(await server.api("GET", "/models", t), "models");
  const budgetLimit = await ok(
    await server.api("POST", "/budget/limits", {
      ...t,
      body: { name: "Cap", scopeType: "project", scopeId: project.id, amountUsd: 5, period: "daily" },
    }),
    "budget limit",
  );
  // A limit the owner set on themselves: the account's, outside any project.
  const userLimit = await ok(
    await server.api("POST", "/budget/limits", {
      ...t,
      body: { name: "Mine", scopeType: "user", scopeId: owner.user.id, amountUsd: 100, period: "monthly" },
    }),
    "user budget limit",
  );

  // A synced issue and pull request of the owner's repository, stored as the GitHub sync would store them.
  const issueId = "issue-of-the-owner";
  const pullRequestId = "pull-request-of-the-owner";
  await server.deps.db.$client.execute({
    sql: "insert into github_issues (id, project_id, repository_id, number, title, html_url) values (?, ?, ?, 1, 'Secret issue', 'https://github.test/owner/api/issues/1')",
    args: [issueId, project.id, repoId],
  });
  await server.deps.db.$client.execute({
    sql: "insert into pull_requests (id, project_id, repository_id, task_id, number, title, head_branch, base_branch, html_url) values (?, ?, ?, ?, 2, 'Secret PR', 'feature', 'main', 'https://github.test/owner/api/pull/2')",
    args: [pullRequestId, project.id, repoId, task.id],
  });

  // A model call of the owner's task, as the engine records it: every usage report and export has a figure
  // that names the project, the task and the agent, which an outsider's reports must not show.
  await server.deps.db.$client.execute({
    sql: `insert into usage_records (id, call_id, user_id, project_id, task_id, agent_id, provider, model, input_tokens,
            output_tokens, cost_micros, outcome, status, created_at)
          values ('usage-of-the-owner', 'call-of-the-owner', ?, ?, ?, ?, 'anthropic', 'secret-model', 10, 5, 1234,
            'success', 'settled', ?)`,
    args: [owner.user.id, project.id, task.id, agentId, Date.now() - 60_000],
  });

  // And one of the owner's own task outside any project: the account's, which no project key may count.
  await server.deps.db.$client.execute({
    sql: `insert into usage_records (id, call_id, user_id, project_id, task_id, provider, model, input_tokens,
            output_tokens, cost_micros, outcome, status, created_at)
          values ('usage-of-the-account', 'call-of-the-account', ?, null, ?, 'anthropic', 'loose-model', 7, 3, 777,
            'success', 'settled', ?)`,
    args: [owner.user.id, privateTask.id, Date.now() - 60_000],
  });

  // A pending invitation of the owner's project, to someone who is neither party.
  const invitation = await ok(
    await server.api("POST", `/projects/${project.id}/members`, {
      ...t,
      body: { email: "invitee@example.test", role: "viewer" },
    }),
    "invitation",
  );

  owned = {
    projectId: project.id,
    invitationId: invitation.invitation.id,
    issueId,
    pullRequestId,
    agentId,
    repoId,
    repositoryId: repoId,
    conversationId: conversation.id,
    privateConversationId: privateConversation.id,
    messageId: message.id,
    taskId: task.id,
    privateTaskId: privateTask.id,
    fileId: file.id,
    notificationId: notification.id,
    userId: owner.user.id,
    sessionId: sessions.items?.[0]?.id ?? sessions[0]?.id,
    apiKeyId: apiKey.id,
    limitId: budgetLimit.id,
    userLimitId: userLimit.id,
    githubRepositoryId: synced.items[0].id,
  };
  // The catalog is shared, not the owner's: only for filling `/models/{id}`, never a leak.
  catalogModelId = models.items[0].id;
  snapshot = await ownerView();
});

afterAll(() => stopServer?.());

/** Which owned resource a path parameter names; `{id}` is read from the segment before it. */
function resourceFor(param: string, segments: string[], index: number): string | undefined {
  // Provider settings are site-wide, not the owner's: a real provider name reaches the admin check.
  if (param === "provider") return "anthropic";
  if (param !== "id") return owned[param];
  const collection = segments[index - 1];
  const byCollection: Record<string, string | undefined> = {
    sessions: owned.sessionId,
    "api-keys": owned.apiKeyId,
    models: catalogModelId,
    repositories: owned.githubRepositoryId,
  };
  return collection ? byCollection[collection] : undefined;
}

/** Body fields that refer to the owner's resources get their ids; everything else a minimal valid value. */
function bodyOverride(key: string): unknown {
  const single: Record<string, string | undefined> = {
    projectId: owned.projectId,
    agentId: owned.agentId,
    assignedToAgentId: owned.agentId,
    conversationId: owned.conversationId,
    taskId: owned.taskId,
    fileId: owned.fileId,
    repositoryId: owned.repositoryId,
    userId: owned.userId,
    replyTo: owned.messageId,
    scopeId: owned.projectId,
  };
  if (key in single) return single[key];
  if (key === "agentIds" || key === "pipeline") return [owned.agentId];
  if (key === "attachmentIds") return [owned.fileId];
  return undefined;
}

async function operations(): Promise<Operation[]> {
  type DocOperation = {
    operationId: string;
    "x-crewdeck-raw"?: boolean;
    requestBody?: { content?: Record<string, { schema?: unknown }> };
    parameters?: { in?: string; name?: string; required?: boolean; schema?: unknown }[];
    security?: unknown[];
  };
  const doc = (await (await fetch(`${server.url}/api/v1/openapi.json`)).json()) as {
    paths: Record<string, Record<string, DocOperation>>;
  };
  const ops: Operation[] = [];
  for (const [path, item] of Object.entries(doc.paths)) {
    for (const [method, op] of Object.entries(item)) {
      // Raw routes are not procedures; the file download is probed on its own below.
      if (!["get", "post", "put", "patch", "delete"].includes(method) || op["x-crewdeck-raw"]) continue;
      ops.push({
        method: method.toUpperCase(),
        path,
        operationId: op.operationId,
        bodySchema: op.requestBody?.content?.["application/json"]?.schema,
        query: (op.parameters ?? [])
          .filter((p) => p.in === "query" && p.required && p.name)
          .map((p) => ({ name: p.name as string, schema: p.schema })),
        isPublic: Array.isArray(op.security) && op.security.length === 0,
      });
    }
  }
  return ops;
}

/** The call an operation makes on the owner's resources: path parameters and body fields get their ids. */
function requestFor(op: Operation) {
  const segments = op.path.split("/");
  const params: string[] = [];
  let unknownParam: string | undefined;
  const url = segments
    .map((segment, i) => {
      const param = /^\{(.+)\}$/.exec(segment)?.[1];
      if (!param) return segment;
      const id = resourceFor(param, segments, i);
      if (!id) unknownParam = param;
      params.push(param === "id" ? `${segments[i - 1]}/{id}` : param);
      return id ?? "unknown";
    })
    .join("/");
  // A search for a word both the project's task and the account's own task hold, so either would show.
  const query = new URLSearchParams(
    op.query.map(({ name, schema }): [string, string] => [
      name,
      name === "q"
        ? "task"
        : String(sampleFromSchema(schema as Parameters<typeof sampleFromSchema>[0], bodyOverride)),
    ]),
  ).toString();
  const body = op.bodySchema
    ? sampleFromSchema(op.bodySchema as Parameters<typeof sampleFromSchema>[0], bodyOverride)
    : undefined;
  return {
    url: query ? `${url}?${query}` : url,
    label: `${op.method} ${op.path}`,
    referencesOwned: params.length > 0,
    params,
    unknownParam,
    body,
  };
}

/** Each procedure's name and meta, by the operation it publishes (`GET /path`; subscriptions by name). */
const procedureMeta = () =>
  new Map(
    Object.entries(
      appRouter._def.procedures as unknown as Record<string, { _def: { meta?: ProcedureMeta } }>,
    ).map(([name, p]) => {
      const meta = p._def.meta ?? {};
      const operation = meta.openapi ? `${meta.openapi.method} ${meta.openapi.path}` : name;
      return [operation, { name, ...meta }];
    }),
  );

const ownedIds = () => Object.values(owned).filter(Boolean);
const leaks = (body: unknown) => {
  const text = JSON.stringify(body ?? "");
  return ownedIds().filter((id) => text.includes(id));
};

describe("an outsider against every operation of the router", () => {
  it("the document publishes every query and mutation of the router", async () => {
    const procedures = Object.entries(
      appRouter._def.procedures as unknown as Record<string, { _def: { type: string } }>,
    )
      .filter(([, p]) => p._def.type !== "subscription")
      .map(([name]) => name);
    const ops = await operations();
    expect(ops.length).toBe(procedures.length);
  });

  it("reaches none of the owner's resources, by path or by body, and changes nothing", async () => {
    const failures: string[] = [];
    let probed = 0;
    for (const op of await operations()) {
      const { url, label, referencesOwned, unknownParam, body } = requestFor(op);
      if (unknownParam) {
        failures.push(`${label}: no owned resource for {${unknownParam}}; teach resourceFor()`);
        continue;
      }
      const bodyReferences = body !== undefined && leaks(body).length > 0;

      if (!referencesOwned && !bodyReferences) {
        // Nothing of the owner's is named: reads must not leak it; the outsider's own writes are theirs.
        if (op.method !== "GET") continue;
        const res = await server.api("GET", url, { token: outsiderToken });
        probed++;
        const leaked = leaks(res.body);
        if (leaked.length > 0) failures.push(`${label}: leaked ${leaked.join(", ")}`);
        continue;
      }

      const res = await server.api(op.method, url, { token: outsiderToken, body });
      probed++;
      const adminOnly = res.status === 403 && res.body?.error?.message === "Administrators only";
      if (referencesOwned) {
        if (res.status !== 404 && !adminOnly) {
          failures.push(
            `${label}: expected 404, got ${res.status} ${JSON.stringify(res.body).slice(0, 200)}`,
          );
        }
      } else if (![400, 403, 404].includes(res.status)) {
        failures.push(`${label} with the owner's ids in the body: got ${res.status}`);
      }
      const leaked = leaks(res.body).filter((id) => !url.includes(id));
      if (leaked.length > 0) failures.push(`${label}: error body leaked ${leaked.join(", ")}`);
    }
    expect(failures).toEqual([]);
    expect(probed).toBeGreaterThan(40);
    expect(await ownerView()).toEqual(snapshot);
  });

  it("cannot download the owner's file through the raw route", async () => {
    const res = await fetch(`${server.url}/api/v1/files/${owned.fileId}`, {
      headers: { authorization: `Bearer ${outsiderToken}` },
    });
    expect(res.status).toBe(404);
    expect(((await res.json()) as { error: { code: string } }).error.code).toBe("RESOURCE_NOT_FOUND");
  });

  it("cannot export the owner's usage through the raw CSV routes, nor through the export of all it may see", async () => {
    const headers = { authorization: `Bearer ${outsiderToken}` };
    for (const path of [`/usage/projects/${owned.projectId}/export`, `/usage/tasks/${owned.taskId}/export`]) {
      const res = await fetch(`${server.url}/api/v1${path}`, { headers });
      expect(res.status, path).toBe(404);
      expect(leaks(await res.text()).filter((id) => !path.includes(id as string))).toEqual([]);
    }
    // The export of everything the caller may see holds the outsider's own calls (none), never the owner's.
    const site = await fetch(`${server.url}/api/v1/usage/export`, { headers });
    expect(site.status).toBe(200);
    const csv = await site.text();
    expect(csv.trim().split("\n")).toHaveLength(1);
    expect(leaks(csv)).toEqual([]);
  });
});

/** The owner's resources that belong to their project, which a key limited to another project cannot reach. */
const PROJECT_BOUND = [
  "projectId",
  "invitationId",
  "issueId",
  "pullRequestId",
  "agentId",
  "repoId",
  "repositoryId",
  "conversationId",
  "privateConversationId",
  "messageId",
  "taskId",
  "privateTaskId",
  "fileId",
  "limitId",
] as const;
const projectBoundIds = () => PROJECT_BOUND.map((name) => owned[name]).filter(Boolean) as string[];

describe("the owner's own API keys against every operation of the router", () => {
  // The keys used here are the owner's own: their "last used" moves, nothing else may.
  const worldApartFromKeys = async () => {
    const { apiKeys: _keys, ...rest } = await ownerView();
    return rest;
  };
  const createKey = async (body: Record<string, unknown>) =>
    (
      await ok(
        await server.api("POST", "/api-keys", { token: ownerToken, body: { name: "k", ...body } }),
        "key",
      )
    ).key as string;

  it("a read-only key changes nothing: every operation that writes is 403", async () => {
    const key = await createKey({ scopes: ["read"] });
    const before = await worldApartFromKeys();
    const failures: string[] = [];
    for (const op of await operations()) {
      if (op.method === "GET" || op.isPublic) continue;
      const { url, label, body } = requestFor(op);
      const res = await server.api(op.method, url, { apiKey: key, body });
      if (res.status !== 403) failures.push(`${label}: expected 403, got ${res.status}`);
    }
    expect(failures).toEqual([]);
    expect(await worldApartFromKeys()).toEqual(before);
  });

  it("every authenticated procedure says what a key limited to one project may do there", () => {
    const unclassified = [...procedureMeta()]
      .filter(([, meta]) => meta.openapi?.protect !== false && !meta.sessionOnly && !meta.projectKey)
      .map(([, meta]) => meta.name);
    // Each of these needs `projectKey` in its meta: "narrowed", "allowed" or "refused" (see trpc.ts).
    expect(unclassified).toEqual([]);
  });

  it("a key limited to the owner's project reaches none of the account: refused, or nothing of it shown", async () => {
    const key = await createKey({ projectId: owned.projectId });
    const before = await worldApartFromKeys();
    const meta = procedureMeta();
    // What belongs to the account rather than to the project.
    const accountIds = [
      "privateConversationId",
      "privateTaskId",
      "notificationId",
      "githubRepositoryId",
      "userLimitId",
      "apiKeyId",
      "sessionId",
    ].map((name) => owned[name] as string);
    const failures: string[] = [];
    let refused = 0;
    for (const op of await operations()) {
      if (op.isPublic) continue;
      const { url, label, params, body } = requestFor(op);
      const opMeta = meta.get(label);
      if (!opMeta) {
        failures.push(`${label}: no procedure publishes it`);
        continue;
      }
      if (opMeta.sessionOnly || opMeta.projectKey === "refused") {
        const res = await server.api(op.method, url, { apiKey: key, body });
        refused++;
        const message: string = res.body?.error?.message ?? "";
        if (res.status !== 403 || res.body?.error?.code !== "FORBIDDEN") {
          failures.push(
            `${label}: expected 403, got ${res.status} ${JSON.stringify(res.body).slice(0, 200)}`,
          );
        } else if (!opMeta.sessionOnly && !message.includes("limited to one project")) {
          failures.push(`${label}: the 403 does not say a project key cannot do this: ${message}`);
        }
        continue;
      }
      // Lists and the key's own world: the project's things may show, the account's may not.
      if (op.method !== "GET" || params.length > 0) continue;
      const res = await server.api("GET", url, { apiKey: key });
      const text = JSON.stringify(res.body ?? "");
      const shown = [...accountIds, "loose-model"].filter((id) => text.includes(id));
      if (shown.length > 0) failures.push(`${label}: showed ${shown.join(", ")}`);
    }
    expect(failures).toEqual([]);
    expect(refused).toBeGreaterThan(30);

    // What depends on the input: nothing outside the project can be made, the project's limits still show.
    for (const [path, body] of [
      ["/tasks", { title: "loose" }],
      ["/conversations", { title: "loose" }],
      [
        "/budget/limits",
        { name: "Me", scopeType: "user", scopeId: owned.userId, amountUsd: 1, period: "daily" },
      ],
    ] as const) {
      const res = await server.api("POST", path, { apiKey: key, body });
      expect(res.status, path).toBe(403);
      expect(res.body.error.message, path).toContain("limited to one project");
    }
    // The CSV of all the key may see holds its project's calls, not the account's own.
    const csv = await (
      await fetch(`${server.url}/api/v1/usage/export`, { headers: { "x-api-key": key } })
    ).text();
    expect(csv).toContain("secret-model");
    expect(csv).not.toContain("loose-model");
    const limits = await server.api("GET", "/budget/limits", { apiKey: key });
    expect(limits.body.items.map((l: { id: string }) => l.id)).toEqual([owned.limitId]);
    expect((await server.api("GET", "/auth/me", { apiKey: key })).body.id).toBe(owned.userId);
    expect(await worldApartFromKeys()).toEqual(before);
  });

  it("a key limited to another of the owner's projects reaches nothing of this one", async () => {
    const other = await ok(
      await server.api("POST", "/projects", { token: ownerToken, body: { name: "Elsewhere" } }),
      "other project",
    );
    const key = await createKey({ projectId: other.id });
    const before = await worldApartFromKeys();
    const failures: string[] = [];
    const leaked = (res: ApiResponse, url: string) =>
      projectBoundIds().filter((id) => !url.includes(id) && JSON.stringify(res.body ?? "").includes(id));
    for (const op of await operations()) {
      const { url, label, params, body } = requestFor(op);
      const named =
        params.some((p) => (PROJECT_BOUND as readonly string[]).includes(p)) ||
        (body !== undefined && projectBoundIds().some((id) => JSON.stringify(body).includes(id)));
      if (!named) {
        // Lists and the key's own world: nothing of the other project may show.
        if (op.method !== "GET" || params.length > 0) continue;
        const res = await server.api("GET", url, { apiKey: key });
        const shown = leaked(res, url);
        if (shown.length > 0) failures.push(`${label}: showed ${shown.join(", ")}`);
        continue;
      }
      const res = await server.api(op.method, url, { apiKey: key, body });
      if (![400, 403, 404].includes(res.status)) failures.push(`${label}: expected 404, got ${res.status}`);
      const shown = leaked(res, url);
      if (shown.length > 0) failures.push(`${label}: showed ${shown.join(", ")}`);
    }
    expect(failures).toEqual([]);
    expect(await worldApartFromKeys()).toEqual(before);
  });
});

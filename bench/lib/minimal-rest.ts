// The hand-written equivalents of GET /api/v1/projects/{id} and POST /api/v1/tasks for `pnpm bench
// rest-facade`, on the server's own database file, with the access token checked against the key held in
// memory, and nothing else: no procedure router, no validation library, no middleware.
// - /api/v1/…: one Hono route each running the server's own queries (the session and its user, the
//   membership, then the same service functions, so the same drizzle statements): what the façade adds.
// - /raw/api/v1/…: the same statements written as SQL on the libSQL client: what drizzle adds on top.
// - /api/v1/conversations/…, GET /api/v1/projects: the reads of `pnpm bench queries-at-scale`, the same way.
// Forked by `rest-facade`; `queries-at-scale` serves it in its own process, beside the server it measures.
import { createPublicKey, randomUUID, verify } from "node:crypto";
import { createRequire } from "node:module";
import path from "node:path";
import { pathToFileURL } from "node:url";
import { loadConversation } from "../../packages/api/src/services/access/scoped-resources";
import { getConversation } from "../../packages/api/src/services/conversations/conversations";
import { listMessagePage } from "../../packages/api/src/services/conversations/messages";
import { requireProjectRole } from "../../packages/api/src/services/projects/access";
import { listProjects, projectDetail } from "../../packages/api/src/services/projects/projects";
import { createTask } from "../../packages/api/src/services/tasks/create";
import type { SQL } from "../../packages/db/node_modules/drizzle-orm/index.js";
import { createDatabase, schema } from "../../packages/db/src/index";

export type MinimalRestSettings = {
  databaseUrl: string;
  issuer: string;
  jwks: { keys: Array<Record<string, string>> };
};

// The server's own copies of Hono and the libSQL client (the bench folder has no dependencies of its own).
const fromServer = createRequire(new URL("../../apps/server/package.json", import.meta.url));
const load = async <T>(name: string) => (await import(pathToFileURL(fromServer.resolve(name)).href)) as T;
type Row = Record<string, unknown>;
type Client = {
  execute: (stmt: { sql: string; args: unknown[] }) => Promise<{ rows: Row[] }>;
  batch: (stmts: Array<{ sql: string; args: unknown[] }>, mode: "write") => Promise<Array<{ rows: Row[] }>>;
  close: () => void;
};
type Ctx = {
  req: {
    header: (name: string) => string | undefined;
    param: (name: string) => string;
    query: (name: string) => string | undefined;
    json: () => Promise<Row>;
  };
  json: (body: unknown, status?: number) => Response;
};
type App = {
  get: (path: string, handler: (c: Ctx) => Promise<Response>) => void;
  post: (path: string, handler: (c: Ctx) => Promise<Response>) => void;
  fetch: (req: Request) => Response | Promise<Response>;
};
const { Hono } = await load<{ Hono: new () => App }>("hono");
const { serve } = await load<{
  serve: (
    opts: { fetch: App["fetch"]; port: number; hostname: string },
    ready: (info: { port: number }) => void,
  ) => unknown;
}>("@hono/node-server");
const { createClient } = await load<{ createClient: (opts: { url: string; timeout: number }) => Client }>(
  "@libsql/client",
);

/** The minimal routes on the server's database file, as a Hono app (not yet listening). */
export async function createMinimalRest(settings: MinimalRestSettings) {
  const db = createClient({ url: settings.databaseUrl, timeout: 5000 });
  await db.execute({ sql: "PRAGMA journal_mode = WAL", args: [] });
  await db.execute({ sql: "PRAGMA synchronous = NORMAL", args: [] });
  await db.execute({ sql: "PRAGMA foreign_keys = ON", args: [] });
  const all = async (sql: string, ...args: unknown[]) => (await db.execute({ sql, args })).rows;
  const one = async (sql: string, ...args: unknown[]) => (await all(sql, ...args))[0];

  const keys = new Map(
    settings.jwks.keys.map((jwk) => [jwk.kid, createPublicKey({ key: jwk, format: "jwk" })]),
  );
  const fromBase64Url = (part: string) => JSON.parse(Buffer.from(part, "base64url").toString("utf8"));

  /** The access token's session id when the token is ours, unexpired and for us; null otherwise. */
  function sessionIdOf(authorization: string | undefined): string | null {
    const token = authorization?.startsWith("Bearer ") ? authorization.slice(7) : "";
    const [header, payload, signature] = token.split(".");
    if (!header || !payload || !signature) return null;
    const key = keys.get(fromBase64Url(header).kid);
    if (!key || !verify(null, Buffer.from(`${header}.${payload}`), key, Buffer.from(signature, "base64url")))
      return null;
    const claims = fromBase64Url(payload);
    if (claims.iss !== settings.issuer || claims.aud !== settings.issuer || claims.exp * 1000 < Date.now())
      return null;
    return typeof claims.sid === "string" ? claims.sid : null;
  }

  async function viewer(c: Ctx) {
    const sessionId = sessionIdOf(c.req.header("authorization"));
    if (!sessionId) return null;
    const row = await one(
      `select s.expires_at, u.id, u.role, u.banned from sessions s join users u on u.id = s.user_id where s.id = ? limit 1`,
      sessionId,
    );
    return row && Number(row.expires_at) > Date.now() && !row.banned ? row : null;
  }

  const membership = (projectId: string, userId: unknown) =>
    one(
      `select p.*, m.role as member_role from project_members m join projects p on p.id = m.project_id
       where m.project_id = ? and m.user_id = ? limit 1`,
      projectId,
      userId,
    );

  const unauthorized = (c: Ctx) => c.json({ error: { code: "UNAUTHORIZED", message: "Sign in" } }, 401);
  const notFound = (c: Ctx) => c.json({ error: { code: "NOT_FOUND", message: "No such project" } }, 404);
  const MONTH_START = Date.UTC(new Date().getUTCFullYear(), new Date().getUTCMonth(), 1);

  const app = new Hono();

  app.get("/raw/api/v1/projects/:projectId", async (c) => {
    const user = await viewer(c);
    if (!user) return unauthorized(c);
    const projectId = c.req.param("projectId");
    if (!(await membership(projectId, user.id))) return notFound(c);
    const project = await one(`select * from projects where id = ? limit 1`, projectId);
    const [tasks, issues, conversations, usage, repositories, members, byModel, byAgent, byStatus] =
      await Promise.all([
        one(
          `select count(*) as total, sum(case when status = 'completed' then 1 else 0 end) as completed from tasks where project_id in (?) group by project_id`,
          projectId,
        ),
        one(
          `select count(*) as n from github_issues where project_id in (?) and state = 'open' group by project_id`,
          projectId,
        ),
        one(
          `select count(*) as n from conversations where project_id in (?) and status = 'active' group by project_id`,
          projectId,
        ),
        one(
          `select sum(input_tokens + output_tokens + cache_read_tokens + cache_write_tokens) as tokens, sum(cost_micros) as cost,
           sum(case when created_at >= ? then cost_micros else 0 end) as month from usage_records where project_id in (?) group by project_id`,
          MONTH_START,
          projectId,
        ),
        all(`select * from project_repositories where project_id in (?) order by created_at asc`, projectId),
        all(
          `select m.role, m.created_at as joined_at, u.id, u.name, u.email, u.username, u.image from project_members m
           join users u on u.id = m.user_id where m.project_id = ? order by m.created_at asc`,
          projectId,
        ),
        all(
          `select model, sum(input_tokens + output_tokens + cache_read_tokens + cache_write_tokens) as tokens, sum(cost_micros) as cost, count(*) as calls
           from usage_records where project_id = ? group by model`,
          projectId,
        ),
        all(
          `select u.agent_id, a.name, sum(u.input_tokens + u.output_tokens + u.cache_read_tokens + u.cache_write_tokens) as tokens,
           sum(u.cost_micros) as cost, count(*) as calls from usage_records u left join agents a on a.id = u.agent_id
           where u.project_id = ? group by u.agent_id`,
          projectId,
        ),
        all(`select status, count(*) as n from tasks where project_id = ? group by status`, projectId),
      ]);
    return c.json({
      ...project,
      stats: { tasks, openIssues: issues?.n ?? 0, activeConversations: conversations?.n ?? 0, usage },
      repositories,
      members,
      usage: { byModel, byAgent },
      tasksByStatus: byStatus,
    });
  });

  app.post("/raw/api/v1/tasks", async (c) => {
    const user = await viewer(c);
    if (!user) return unauthorized(c);
    const body = await c.req.json();
    const projectId = typeof body.projectId === "string" ? body.projectId : "";
    const title = typeof body.title === "string" ? body.title.trim() : "";
    if (!title) return c.json({ error: { code: "VALIDATION_ERROR", message: "A title is required" } }, 400);
    const project = await membership(projectId, user.id);
    if (!project) return notFound(c);
    if (!["owner", "maintainer"].includes(String(project.member_role)))
      return c.json({ error: { code: "FORBIDDEN", message: "Maintainers only" } }, 403);
    const taskId = randomUUID();
    const conversationId = randomUUID();
    const now = Date.now();
    const [, , updated] = await db.batch(
      [
        {
          sql: `insert into tasks (id, project_id, created_by_id, title, type, priority, complexity, status, created_at, updated_at)
                values (?, ?, ?, ?, 'feature', 'medium', 'moderate', 'backlog', ?, ?)`,
          args: [taskId, projectId, user.id, title, now, now],
        },
        {
          sql: `insert into conversations (id, project_id, created_by_id, title, type, status, task_id, last_message_at, created_at, updated_at)
                values (?, ?, ?, ?, 'task', 'active', ?, ?, ?, ?)`,
          args: [conversationId, projectId, user.id, title, taskId, now, now, now],
        },
        {
          sql: `update tasks set conversation_id = ?, updated_at = ? where id = ? returning *`,
          args: [conversationId, now, taskId],
        },
        { sql: `select id from project_repositories where project_id = ?`, args: [projectId] },
      ],
      "write",
    );
    const [usage, pullRequest, run, repositories, result] = await Promise.all([
      one(
        `select sum(input_tokens + output_tokens + cache_read_tokens + cache_write_tokens) as tokens, sum(cost_micros) as cost
         from usage_records where task_id in (?) group by task_id`,
        taskId,
      ),
      one(
        `select id, number, title, state, html_url from pull_requests where task_id = ? order by created_at desc, id desc limit 1`,
        taskId,
      ),
      one(
        `select id, total_steps from runs where task_id = ? order by created_at desc, id desc limit 1`,
        taskId,
      ),
      all(
        `select r.id, r.name, r.full_name, t.is_active from project_repositories r
         left join task_repositories t on t.repository_id = r.id and t.task_id = ? where r.project_id = ?`,
        taskId,
        projectId,
      ),
      one(
        `select result from runs where task_id = ? and result is not null order by created_at desc, id desc limit 1`,
        taskId,
      ),
    ]);
    return c.json({
      ...updated?.rows[0],
      usage,
      pullRequest,
      run,
      repositories,
      result: result?.result ?? null,
    });
  });

  // The same requests through the server's drizzle queries and services.
  const orm = await createDatabase({ url: settings.databaseUrl });
  // The database package's own drizzle (its ES module build, as the services import it).
  const drizzleDir = path.dirname(
    createRequire(new URL("../../packages/db/package.json", import.meta.url)).resolve("drizzle-orm"),
  );
  const { eq } = (await import(pathToFileURL(path.join(drizzleDir, "index.js")).href)) as {
    eq: (column: unknown, value: unknown) => SQL;
  };
  const sessionWithUser = orm
    .select({ session: schema.sessions, user: schema.users })
    .from(schema.sessions)
    .innerJoin(schema.users, eq(schema.users.id, schema.sessions.userId));

  async function ormViewer(c: Ctx) {
    const sessionId = sessionIdOf(c.req.header("authorization"));
    if (!sessionId) return null;
    const [row] = await sessionWithUser.where(eq(schema.sessions.id, sessionId)).limit(1);
    return row && row.session.expiresAt.getTime() > Date.now() && !row.user.banned ? row.user : null;
  }

  app.get("/api/v1/projects/:projectId", async (c) => {
    const user = await ormViewer(c);
    if (!user) return unauthorized(c);
    const membership = await requireProjectRole(orm, c.req.param("projectId"), user.id, "viewer");
    return c.json(
      await projectDetail(
        { db: orm } as Parameters<typeof projectDetail>[0],
        membership.project,
        membership.role,
      ),
    );
  });

  app.post("/api/v1/tasks", async (c) => {
    const user = await ormViewer(c);
    if (!user) return unauthorized(c);
    const body = await c.req.json();
    const title = typeof body.title === "string" ? body.title.trim() : "";
    if (!title) return c.json({ error: { code: "VALIDATION_ERROR", message: "A title is required" } }, 400);
    const membership = await requireProjectRole(orm, String(body.projectId), user.id, "maintainer");
    return c.json(await createTask(orm, user.id, membership.project.id, { title }));
  });
  // The reads of queries-at-scale: a page of messages, a conversation with its newest page, the project list.
  const deps = { db: orm } as Parameters<typeof projectDetail>[0];
  app.get("/api/v1/conversations/:conversationId/messages", async (c) => {
    const user = await ormViewer(c);
    if (!user) return unauthorized(c);
    const { row } = await loadConversation(orm, c.req.param("conversationId"), user.id, "viewer");
    const limit = Number(c.req.query("limit") ?? 50);
    return c.json(await listMessagePage(orm, row.id, { before: c.req.query("before"), limit }));
  });

  app.get("/api/v1/conversations/:conversationId", async (c) => {
    const user = await ormViewer(c);
    if (!user) return unauthorized(c);
    const { row } = await loadConversation(orm, c.req.param("conversationId"), user.id, "viewer");
    return c.json(await getConversation(deps, row, {}));
  });

  app.get("/api/v1/projects", async (c) => {
    const user = await ormViewer(c);
    if (!user) return unauthorized(c);
    const limit = Number(c.req.query("limit") ?? 20);
    return c.json(await listProjects(deps, user.id, {}, { page: 1, limit }));
  });

  return {
    app,
    close: () => {
      db.close();
      orm.$client.close();
    },
  };
}

/** The minimal routes listening on a free loopback port. */
export async function serveMinimalRest(settings: MinimalRestSettings) {
  const { app, close } = await createMinimalRest(settings);
  let server: { close: (done: () => void) => void } | undefined;
  const url = await new Promise<string>((resolve) => {
    server = serve({ fetch: app.fetch, port: 0, hostname: "127.0.0.1" }, ({ port }) =>
      resolve(`http://127.0.0.1:${port}`),
    ) as typeof server;
  });
  return {
    url,
    close: async () => {
      await new Promise<void>((resolve) => server?.close(() => resolve()));
      close();
    },
  };
}

// Forked: serve, say where, and stop when told.
if (process.send && process.argv[1] && import.meta.url === pathToFileURL(process.argv[1]).href) {
  const { url } = await serveMinimalRest(JSON.parse(process.argv[2] ?? "{}") as MinimalRestSettings);
  process.send({ type: "ready", url });
  process.on("message", (message: { type: string }) => {
    if (message.type === "stop") process.exit(0);
  });
}

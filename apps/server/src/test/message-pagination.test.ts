import { newId, schema } from "@crewdeck/db";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { registerUser, startTestServer, type TestServer, type TestUser } from "./harness";

type Message = { id: string; createdAt: string; content: string };

const SEEDED = 1_000;

/** Strictly newest first by (createdAt, id): the order the cursor promises. */
function expectStrictlyDescending(messages: Message[]) {
  for (let i = 1; i < messages.length; i++) {
    const [prev, cur] = [messages[i - 1]!, messages[i]!];
    const older = cur.createdAt < prev.createdAt || (cur.createdAt === prev.createdAt && cur.id < prev.id);
    expect(older, `item ${i} (${cur.createdAt} ${cur.id}) after ${prev.createdAt} ${prev.id}`).toBe(true);
  }
}

describe("message cursor pagination", () => {
  let server: TestServer;
  let user: TestUser;
  let projectId: string;
  let convId: string;
  const original = new Set<string>();
  let oldest: string;

  const call = (method: string, path: string, body?: unknown) =>
    server.api(method, path, { token: user.access_token, body });

  beforeAll(async () => {
    server = await startTestServer({ RATE_LIMIT_GENERAL_PER_MINUTE: "100000" });
    user = await registerUser(server);
    const project = await call("POST", "/projects", { name: "Chatty" });
    projectId = project.body.id;
    const agents = await call("GET", `/projects/${projectId}/agents`);
    const agentId = agents.body.items[0].id;
    // No agents in it: nobody is asked to answer the messages posted while walking (no provider here).
    const conv = await call("POST", "/conversations", { title: "Long", projectId });
    convId = conv.body.id;

    // Four messages share each millisecond, and within a millisecond the ids are handed out shuffled,
    // so only the (createdAt, id) order, not insertion order, can walk the pages correctly.
    const base = Date.now() - 3_600_000;
    const rows: (typeof schema.messages.$inferInsert)[] = [];
    for (let ms = 0; ms < SEEDED / 4; ms++) {
      const ids = [newId(), newId(), newId(), newId()].sort(() => Math.random() - 0.5);
      for (const [k, id] of ids.entries()) {
        const n = ms * 4 + k;
        rows.push({
          id,
          conversationId: convId,
          createdAt: new Date(base + ms),
          content: `seeded ${n}`,
          ...(n % 3 === 0 ? { authorType: "agent", agentId } : { authorType: "user", userId: user.user.id }),
        });
      }
    }
    for (let i = 0; i < rows.length; i += 250) {
      await server.deps.db.insert(schema.messages).values(rows.slice(i, i + 250));
    }
    for (const row of rows) original.add(row.id!);
    oldest = rows
      .slice(0, 4)
      .map((r) => r.id!)
      .sort()[0]!;
  });
  afterAll(async () => {
    await server.stop();
  });

  it("walks every seeded message exactly once, newest first, while new ones arrive", async () => {
    const seen: Message[] = [];
    const posted: string[] = [];
    let before: string | undefined;
    let hasMore = true;
    let pages = 0;
    while (hasMore) {
      const query = before ? `?before=${before}&limit=37` : "?limit=37";
      const res = await call("GET", `/conversations/${convId}/messages${query}`);
      expect(res.status).toBe(200);
      seen.push(...res.body.items);
      hasMore = res.body.hasMore;
      before = res.body.items.at(-1)?.id;
      const live = await call("POST", `/conversations/${convId}/messages`, { content: `live ${pages}` });
      expect(live.status).toBe(200);
      posted.push(live.body.id);
      pages++;
      expect(pages).toBeLessThanOrEqual(Math.ceil(SEEDED / 37));
    }
    expect(pages).toBe(Math.ceil(SEEDED / 37));
    const ids = seen.map((m) => m.id);
    expect(new Set(ids).size).toBe(ids.length);
    expect(ids.filter((id) => posted.includes(id))).toEqual([]);
    expect([...ids].sort()).toEqual([...original].sort());
    expectStrictlyDescending(seen);
    expect(seen.at(-1)!.id).toBe(oldest);
  });

  it("walks the project alias from the newest, live messages first, with the largest pages", async () => {
    const first = await call("GET", `/projects/${projectId}/conversations/${convId}?limit=100`);
    expect(first.status).toBe(200);
    expect(first.body.hasMore).toBe(true);
    const seen: Message[] = [...first.body.messages];
    const livePosted = seen.filter((m) => !original.has(m.id));
    expect(livePosted.map((m) => m.content)).toEqual(
      Array.from({ length: livePosted.length }, (_, i) => `live ${livePosted.length - 1 - i}`),
    );
    const lateArrivals: string[] = [];
    let before = seen.at(-1)!.id;
    let hasMore: boolean = first.body.hasMore;
    while (hasMore) {
      const late = await call("POST", `/projects/${projectId}/conversations/${convId}/messages`, {
        content: "late",
      });
      lateArrivals.push(late.body.id);
      const res = await call(
        "GET",
        `/projects/${projectId}/conversations/${convId}/messages?before=${before}&limit=100`,
      );
      expect(res.status).toBe(200);
      seen.push(...res.body.items);
      hasMore = res.body.hasMore;
      before = res.body.items.at(-1).id;
    }
    const ids = seen.map((m) => m.id);
    expect(new Set(ids).size).toBe(ids.length);
    expect(ids.filter((id) => lateArrivals.includes(id))).toEqual([]);
    expect(ids.filter((id) => original.has(id))).toHaveLength(SEEDED);
    expectStrictlyDescending(seen);
  });

  it("says there is no more when the last page is exactly full", async () => {
    const conv = await call("POST", "/conversations", { title: "Exact", projectId });
    const base = Date.now() - 60_000;
    await server.deps.db.insert(schema.messages).values(
      Array.from({ length: 100 }, (_, i) => ({
        conversationId: conv.body.id,
        authorType: "user" as const,
        userId: user.user.id,
        content: `m${i}`,
        createdAt: new Date(base + i),
      })),
    );
    const all = await call("GET", `/conversations/${conv.body.id}?limit=100`);
    expect(all.body.messages).toHaveLength(100);
    expect(all.body.hasMore).toBe(false);
    const half = await call("GET", `/conversations/${conv.body.id}/messages?limit=50`);
    expect(half.body.hasMore).toBe(true);
    const rest = await call(
      "GET",
      `/conversations/${conv.body.id}/messages?limit=50&before=${half.body.items[49].id}`,
    );
    expect(rest.body.items.map((m: Message) => m.content)).toEqual(
      Array.from({ length: 50 }, (_, i) => `m${49 - i}`),
    );
    expect(rest.body.hasMore).toBe(false);
  });

  it("pages 50 by default and at most 100", async () => {
    const plain = await call("GET", `/conversations/${convId}/messages`);
    expect(plain.body.items).toHaveLength(50);
    expect((await call("GET", `/conversations/${convId}`)).body.messages).toHaveLength(50);
    for (const limit of ["101", "0", "ten"]) {
      const res = await call("GET", `/conversations/${convId}/messages?limit=${limit}`);
      expect(res.status).toBe(400);
      expect(res.body.error.details.map((d: { field: string }) => d.field)).toEqual(["limit"]);
    }
  });
});

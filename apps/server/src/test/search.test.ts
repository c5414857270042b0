// GET /search: tasks, chats and messages the caller may see whose text contains the words, and nothing of
// projects they are not in.
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { apiAs, registerUser, startTestServer, type TestServer, type TestUser } from "./harness";

describe("search", () => {
  let server: TestServer;
  let alice: TestUser;
  let bob: TestUser;
  const ids: Record<string, string> = {};

  const api = apiAs(() => server);

  beforeAll(async () => {
    server = await startTestServer({ RATE_LIMIT_REGISTER_MAX: "1000" });
    [alice, bob] = await Promise.all([registerUser(server), registerUser(server)]);
    const project = (await api(alice, "POST", "/projects", { name: "Zebra" })).body.id;
    ids.task = (
      await api(alice, "POST", "/tasks", { title: "Paint the Zebra crossing", projectId: project })
    ).body.id;
    ids.described = (
      await api(alice, "POST", "/tasks", {
        title: "Roads",
        description: "mind the zebra",
        projectId: project,
      })
    ).body.id;
    const chat = await api(alice, "POST", "/conversations", { title: "Zebra planning", projectId: project });
    ids.chat = chat.body.id;
    const quiet = await api(alice, "POST", "/conversations", { title: "Other", projectId: project });
    ids.message = (
      await api(alice, "POST", `/conversations/${quiet.body.id}/messages`, {
        content: "We should think about the stripes of the zebra before painting anything at all.",
      })
    ).body.id;
    // Bob's own things match too, but only for Bob.
    ids.bobs = (await api(bob, "POST", "/tasks", { title: "Bob's zebra" })).body.id;
  });
  afterAll(() => server?.close());

  it("finds tasks by title or description, chats by title and messages by text", async () => {
    const res = await api(alice, "GET", "/search?q=ZEBRA");
    expect(res.status, JSON.stringify(res.body)).toBe(200);
    expect(res.body.tasks.map((t: { id: string }) => t.id).sort()).toEqual([ids.task, ids.described].sort());
    // The chat by its title; not the tasks' own conversations (found as the tasks), nor the chat that only
    // holds a matching message.
    expect(res.body.conversations.map((c: { id: string }) => c.id)).toEqual([ids.chat]);
    expect(res.body.messages).toEqual([
      expect.objectContaining({
        id: ids.message,
        conversationTitle: "Other",
        snippet: expect.stringContaining("stripes of the zebra"),
      }),
    ]);
  });

  it("shows nobody else's things", async () => {
    const res = await api(bob, "GET", "/search?q=zebra");
    expect(res.body.tasks.map((t: { id: string }) => t.id)).toEqual([ids.bobs]);
    expect(res.body.conversations).toEqual([]);
    expect(res.body.messages).toEqual([]);
  });

  it("treats % and _ as text, and refuses an empty query in words", async () => {
    const wild = await api(alice, "GET", "/search?q=%25");
    expect(wild.status).toBe(200);
    expect(wild.body.tasks).toEqual([]);
    const empty = await api(alice, "GET", "/search?q=%20");
    expect(empty.status).toBe(400);
    expect(empty.body.error.code).toBe("VALIDATION_ERROR");
    expect(JSON.stringify(empty.body.error)).toContain("Type something to search for");
  });
});

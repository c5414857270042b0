// Stop and regenerate in a chat: a reply being written is stopped with what it said kept, and a finished
// reply is replaced by the same agent answering the same message again, without seeing the old answer.
import type { FakeAnthropic } from "@crewdeck/engine/testing";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import {
  addMember,
  createCrewConversation,
  registerUser,
  startTestServerWithModel,
  type TestServer,
} from "./harness";

type User = Awaited<ReturnType<typeof registerUser>>;

describe("stopping and regenerating chat replies", () => {
  let server: TestServer;
  let fake: FakeAnthropic;
  let stop: () => Promise<void>;
  let owner: User;
  let viewer: User;
  let conversationId: string;

  const api = (user: User, method: string, path: string, body?: unknown) =>
    server.api(method, path, { token: user.access_token, body });
  const messages = async () =>
    (await api(owner, "GET", `/conversations/${conversationId}/messages`)).body.items as Array<{
      id: string;
      content: string;
      status: string;
      authorType: string;
      replyTo: string | null;
    }>;

  beforeAll(async () => {
    ({ server, fake, stop } = await startTestServerWithModel({ RATE_LIMIT_REGISTER_MAX: "1000" }));
    [owner, viewer] = await Promise.all([registerUser(server), registerUser(server)]);
    const made = await createCrewConversation(server, owner.access_token, ["architect"]);
    conversationId = made.conversation.id;
    expect((await addMember(server, owner.access_token, made.projectId, viewer, "viewer")).status).toBe(200);
  });
  afterAll(() => stop?.());

  it("stops a reply mid-stream, keeping its first words", async () => {
    const gate = fake.hold();
    fake.enqueue({ text: ["First words, ", "and the rest nobody reads."] });
    await api(owner, "POST", `/conversations/${conversationId}/messages`, { content: "Talk a lot" });
    await gate.reached;
    const res = await api(owner, "POST", `/conversations/${conversationId}/stop`);
    expect(res.status, JSON.stringify(res.body)).toBe(200);
    expect(res.body).toEqual({ stopped: 1 });
    gate.release();
    await server.deps.engine.replies.idle();
    const [reply] = await messages();
    expect(reply!.authorType).toBe("agent");
    expect(reply!.status).toBe("cancelled");
    expect(reply!.content).toContain("First words");
    expect(reply!.content).not.toContain("nobody reads");

    const idle = await api(owner, "POST", `/conversations/${conversationId}/stop`);
    expect(idle.body).toEqual({ stopped: 0 });
    expect((await api(viewer, "POST", `/conversations/${conversationId}/stop`)).status).toBe(403);
  });

  it("regenerates a reply: the old one goes, the agent answers the same message afresh", async () => {
    fake.enqueue({ text: "A dull answer." });
    const question = await api(owner, "POST", `/conversations/${conversationId}/messages`, {
      content: "Name the service",
    });
    await server.deps.engine.replies.idle();
    const [old] = await messages();
    expect(old!.content).toBe("A dull answer.");

    fake.enqueue({ text: "A better answer." });
    const sent = fake.requests.length;
    const res = await api(owner, "POST", `/conversations/${conversationId}/messages/${old!.id}/regenerate`);
    expect(res.status, JSON.stringify(res.body)).toBe(200);
    expect(res.body.agents.map((a: { role: string }) => a.role)).toEqual(["architect"]);
    await server.deps.engine.replies.idle();

    const [fresh, asked] = await messages();
    expect(fresh!.content).toBe("A better answer.");
    expect(fresh!.replyTo).toBe(question.body.id);
    expect(asked!.id).toBe(question.body.id);
    expect((await messages()).some((m) => m.id === old!.id)).toBe(false);
    // The model answered the question again, not its own old answer.
    const request = JSON.stringify(fake.requests[sent]!.body.messages);
    expect(request).toContain("Name the service");
    expect(request).not.toContain("A dull answer.");
  });

  it("regenerates only agents' replies of this conversation", async () => {
    const [, question] = await messages();
    const mine = await api(
      owner,
      "POST",
      `/conversations/${conversationId}/messages/${question!.id}/regenerate`,
    );
    expect(mine.status).toBe(404);
    expect(mine.body.error.code).toBe("RESOURCE_NOT_FOUND");
    const [reply] = await messages();
    const asViewer = await api(
      viewer,
      "POST",
      `/conversations/${conversationId}/messages/${reply!.id}/regenerate`,
    );
    expect(asViewer.status).toBe(403);
  });
});

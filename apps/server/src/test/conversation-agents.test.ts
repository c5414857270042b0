// Agents join and leave a conversation after it starts, and every post says who will answer it or why
// nobody will: a chat started without agents used to swallow its messages in silence.
import type { FakeAnthropic } from "@crewdeck/engine/testing";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import {
  addMember,
  apiAs,
  type CrewAgent,
  createCrewConversation,
  registerUser,
  startTestServerWithModel,
  type TestServer,
  type TestUser,
} from "./harness";

describe("a conversation's agents", () => {
  let server: TestServer;
  let fake: FakeAnthropic;
  let stop: () => Promise<void>;
  let owner: TestUser;
  let viewer: TestUser;
  let projectId: string;
  let crew: CrewAgent[];
  let otherAgentId: string;

  const api = apiAs(() => server);
  const emptyChat = async () => {
    const res = await api(owner, "POST", "/conversations", { title: "Quiet", projectId });
    expect(res.status, JSON.stringify(res.body)).toBe(200);
    expect(res.body.agents).toEqual([]);
    return res.body.id as string;
  };

  beforeAll(async () => {
    ({ server, fake, stop } = await startTestServerWithModel({ RATE_LIMIT_REGISTER_MAX: "1000" }));
    [owner, viewer] = await Promise.all([registerUser(server), registerUser(server)]);
    const made = await createCrewConversation(server, owner.access_token, []);
    projectId = made.projectId;
    crew = (await api(owner, "GET", `/projects/${projectId}/agents`)).body.items;
    const other = await createCrewConversation(server, owner.access_token, ["architect"]);
    otherAgentId = other.agents[0]!.id;
    expect((await addMember(server, owner.access_token, projectId, viewer, "viewer")).status).toBe(200);
  });
  afterAll(() => stop?.());

  it("says why nobody answers a chat without agents, then answers once one is added", async () => {
    const conversationId = await emptyChat();
    const silent = await api(owner, "POST", `/conversations/${conversationId}/messages`, {
      content: "Anyone there?",
    });
    expect(silent.status, JSON.stringify(silent.body)).toBe(200);
    expect(silent.body.answering).toEqual({
      agents: [],
      reason: "No agents are in this conversation: add one so someone can answer.",
    });

    const architect = crew.find((a) => a.role === "architect")!;
    const added = await api(owner, "POST", `/conversations/${conversationId}/agents`, {
      agentIds: [architect.id],
    });
    expect(added.status, JSON.stringify(added.body)).toBe(200);
    expect(added.body.agents.map((a: CrewAgent) => a.id)).toEqual([architect.id]);

    fake.enqueue({ text: "Here I am." });
    const heard = await api(owner, "POST", `/conversations/${conversationId}/messages`, {
      content: "Now?",
    });
    expect(heard.body.answering).toEqual({
      agents: [{ id: architect.id, name: architect.name, role: "architect" }],
      reason: null,
    });
    await server.deps.engine.replies.idle();
    const messages = (await api(owner, "GET", `/conversations/${conversationId}/messages`)).body.items;
    expect(messages[0].content).toBe("Here I am.");
    expect(messages[0].agent.id).toBe(architect.id);
  });

  it("removes an agent, which then answers no more", async () => {
    const [pm, qa] = [crew[0]!, crew[5]!];
    const conversationId = await emptyChat();
    await api(owner, "POST", `/conversations/${conversationId}/agents`, { agentIds: [pm.id, qa.id] });
    const removed = await api(owner, "DELETE", `/conversations/${conversationId}/agents/${pm.id}`);
    expect(removed.status, JSON.stringify(removed.body)).toBe(200);
    expect(removed.body.agents.map((a: CrewAgent) => a.id)).toEqual([qa.id]);
    const again = await api(owner, "DELETE", `/conversations/${conversationId}/agents/${pm.id}`);
    expect(again.status).toBe(404);

    fake.enqueue({ text: "QA here." });
    const posted = await api(owner, "POST", `/conversations/${conversationId}/messages`, { content: "Hi" });
    expect(posted.body.answering.agents.map((a: CrewAgent) => a.id)).toEqual([qa.id]);
    await server.deps.engine.replies.idle();
  });

  it("says so when the conversation is paused", async () => {
    const conversationId = await emptyChat();
    await api(owner, "POST", `/conversations/${conversationId}/agents`, { agentIds: [crew[2]!.id] });
    expect((await api(owner, "POST", `/conversations/${conversationId}/pause`)).status).toBe(200);
    const posted = await api(owner, "POST", `/conversations/${conversationId}/messages`, { content: "Hm" });
    expect(posted.body.answering.agents).toEqual([]);
    expect(posted.body.answering.reason).toMatch(/paused: resume it/);
  });

  it("refuses agents of another project (400) and viewers (403)", async () => {
    const conversationId = await emptyChat();
    const foreign = await api(owner, "POST", `/conversations/${conversationId}/agents`, {
      agentIds: [otherAgentId],
    });
    expect(foreign.status).toBe(400);
    expect(foreign.body.error.code).toBe("VALIDATION_ERROR");
    expect(foreign.body.error.details.fields ?? foreign.body.error.details).toBeTruthy();

    const asViewer = await api(viewer, "POST", `/conversations/${conversationId}/agents`, {
      agentIds: [crew[1]!.id],
    });
    expect(asViewer.status).toBe(403);
    const removeAsViewer = await api(
      viewer,
      "DELETE",
      `/conversations/${conversationId}/agents/${crew[1]!.id}`,
    );
    expect(removeAsViewer.status).toBe(403);
    const empty = await api(owner, "POST", `/conversations/${conversationId}/agents`, { agentIds: [] });
    expect(empty.status).toBe(400);
    expect((await api(owner, "GET", `/conversations/${conversationId}`)).body.agents).toEqual([]);
  });
});

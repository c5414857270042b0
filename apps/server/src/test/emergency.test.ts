// The emergency stop over real HTTP against the Anthropic fake: who may pull it, what it reaches (an
// owner's projects, or everything for an admin), that it aborts a reply mid-stream, and that resuming puts
// the crew back to work.
import type { FakeAnthropic } from "@crewdeck/engine/testing";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import {
  addMember,
  apiAs,
  registerUser,
  startTestServerWithModel,
  type TestServer,
  type TestUser,
} from "./harness";

type Agent = { id: string; role: string; status: string };

describe("emergency stop", () => {
  let fake: FakeAnthropic;
  let server: TestServer;
  let stop: () => Promise<void>;
  let admin: TestUser;
  let owner: TestUser;
  let maintainer: TestUser;
  let stranger: TestUser;
  let ownersProject: string;
  let strangersProject: string;

  const call = apiAs(() => server);
  const crewOf = async (user: TestUser, projectId: string) =>
    (await call(user, "GET", `/projects/${projectId}/agents`)).body.items as Agent[];
  const statuses = async (user: TestUser, projectId: string) =>
    new Set((await crewOf(user, projectId)).map((agent) => agent.status));

  beforeAll(async () => {
    ({ server, fake, stop } = await startTestServerWithModel({ RATE_LIMIT_REGISTER_MAX: "1000" }));
    admin = await registerUser(server); // the first account is the administrator
    owner = await registerUser(server);
    maintainer = await registerUser(server);
    stranger = await registerUser(server);
    ownersProject = (await call(owner, "POST", "/projects", { name: "Shop" })).body.id;
    strangersProject = (await call(stranger, "POST", "/projects", { name: "Elsewhere" })).body.id;
    const added = await addMember(server, owner.access_token, ownersProject, maintainer, "maintainer");
    expect(added.status).toBe(200);
  });
  afterAll(() => stop());

  it("is refused to someone who owns no project, and to an owner naming a project they do not own", async () => {
    const refused = await call(maintainer, "POST", "/emergency/pause-all", {});
    expect(refused.status).toBe(403);
    expect(refused.body.error.code).toBe("FORBIDDEN");
    const notTheirs = await call(maintainer, "POST", "/emergency/pause-all", { projectId: ownersProject });
    expect(notTheirs.status).toBe(403);
    const unseen = await call(owner, "POST", "/emergency/pause-all", { projectId: strangersProject });
    expect(unseen.status).toBe(404);
    expect(await statuses(owner, ownersProject)).toEqual(new Set(["idle"]));
    expect(await statuses(stranger, strangersProject)).toEqual(new Set(["idle"]));
  });

  it("lets an owner stop their own projects at once, cutting a reply mid-stream, and resume them", async () => {
    const crew = await crewOf(owner, ownersProject);
    const developer = crew.find((agent) => agent.role === "senior-developer")!;
    const conversation = await call(owner, "POST", "/conversations", {
      title: "Migration",
      projectId: ownersProject,
      agentIds: [developer.id],
    });
    const gate = fake.hold();
    fake.enqueue({ text: ["First ", "half ", "never sent"], usage: { input: 40, output: 6 } });
    await call(owner, "POST", `/conversations/${conversation.body.id}/messages`, { content: "Write it" });
    await gate.reached;

    const paused = await call(owner, "POST", "/emergency/pause-all", { reason: "Runaway costs" });
    expect(paused.status).toBe(200);
    expect(paused.body).toMatchObject({ pausedAgents: crew.length, abortedCalls: 1 });
    expect(paused.body.message).toBe(`Paused ${crew.length} agents, aborted 1 model call and paused 0 runs`);
    gate.release();
    await server.deps.engine.replies.idle();

    const messages = await call(owner, "GET", `/conversations/${conversation.body.id}/messages?limit=10`);
    const reply = (messages.body.items as { authorType: string; status: string; content: string }[]).find(
      (m) => m.authorType === "agent",
    );
    expect(reply).toMatchObject({ status: "cancelled", content: "First " });
    expect(await statuses(owner, ownersProject)).toEqual(new Set(["paused"]));
    // The stranger's crew works on, and the stranger does not see someone else's stop.
    expect(await statuses(stranger, strangersProject)).toEqual(new Set(["idle"]));
    expect((await call(stranger, "GET", "/emergency/status")).body.active).toBe(false);

    const status = await call(maintainer, "GET", "/emergency/status");
    expect(status.status).toBe(200);
    expect(status.body).toMatchObject({
      active: true,
      pausedAgents: crew.length,
      stops: [{ projectId: ownersProject, projectName: "Shop", reason: "Runaway costs" }],
    });

    const resumed = await call(owner, "POST", "/emergency/resume-all", {});
    expect(resumed.status).toBe(200);
    expect(resumed.body).toMatchObject({ resumedAgents: crew.length, resumedRuns: 0 });
    expect(await statuses(owner, ownersProject)).toEqual(new Set(["idle"]));
    expect((await call(maintainer, "GET", "/emergency/status")).body.active).toBe(false);
  });

  it("lets an admin stop every project on the site, and shows that stop to everyone", async () => {
    const paused = await call(admin, "POST", "/emergency/pause-all", { reason: "Maintenance" });
    expect(paused.status).toBe(200);
    expect(await statuses(owner, ownersProject)).toEqual(new Set(["paused"]));
    expect(await statuses(stranger, strangersProject)).toEqual(new Set(["paused"]));
    const seen = await call(stranger, "GET", "/emergency/status");
    expect(seen.body).toMatchObject({ active: true, stops: [{ projectId: null, reason: "Maintenance" }] });

    const resumed = await call(admin, "POST", "/emergency/resume-all", {});
    expect(resumed.status).toBe(200);
    expect(await statuses(stranger, strangersProject)).toEqual(new Set(["idle"]));
    expect((await call(stranger, "GET", "/emergency/status")).body.active).toBe(false);
  });
});

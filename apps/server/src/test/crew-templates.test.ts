// Crew templates: ready-made sets of roles from the catalog, added to a project's crew in one request.
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import {
  addMember,
  apiAs,
  EXPECTED_DEFAULT_CREW,
  registerUser,
  startTestServer,
  type TestServer,
  type TestUser,
} from "./harness";

describe("crew templates", () => {
  let server: TestServer;
  let owner: TestUser;
  let viewer: TestUser;
  let projectId: string;

  const api = apiAs(() => server);
  const crewRoles = async () =>
    ((await api(owner, "GET", `/projects/${projectId}/agents`)).body.items as Array<{ role: string }>).map(
      (a) => a.role,
    );

  beforeAll(async () => {
    server = await startTestServer({ RATE_LIMIT_REGISTER_MAX: "1000" });
    [owner, viewer] = await Promise.all([registerUser(server), registerUser(server)]);
    projectId = (await api(owner, "POST", "/projects", { name: "Crewed" })).body.id;
    expect((await addMember(server, owner.access_token, projectId, viewer, "viewer")).status).toBe(200);
  });
  afterAll(() => server?.close());

  it("lists the built-in templates with their agents", async () => {
    const res = await api(viewer, "GET", "/crew-templates");
    expect(res.status).toBe(200);
    const ids = res.body.items.map((t: { id: string }) => t.id);
    expect(ids).toEqual(["full-crew", "build-and-review", "solo-developer", "planning"]);
    const build = res.body.items[1];
    expect(build.roles).toEqual(["architect", "senior-developer", "reviewer"]);
    expect(build.agents[2]).toEqual({ role: "reviewer", name: expect.any(String) });
  });

  it("adds a template's agents after the crew, in order, after agents were removed", async () => {
    const crew = (await api(owner, "GET", `/projects/${projectId}/agents`)).body.items as Array<{
      id: string;
    }>;
    for (const agent of crew.slice(1)) {
      expect((await api(owner, "DELETE", `/projects/${projectId}/agents/${agent.id}`)).status).toBe(200);
    }
    expect(await crewRoles()).toEqual([EXPECTED_DEFAULT_CREW[0]]);
    const res = await api(owner, "POST", `/projects/${projectId}/agents/templates`, {
      templateId: "build-and-review",
    });
    expect(res.status, JSON.stringify(res.body)).toBe(200);
    const expected = [EXPECTED_DEFAULT_CREW[0], "architect", "senior-developer", "reviewer"];
    expect(res.body.items.map((a: { role: string }) => a.role)).toEqual(expected);
    expect(await crewRoles()).toEqual(expected);
  });

  it("refuses an unknown template (400) and viewers (403), adding nothing", async () => {
    const before = await crewRoles();
    const unknown = await api(owner, "POST", `/projects/${projectId}/agents/templates`, {
      templateId: "nope",
    });
    expect(unknown.status).toBe(400);
    expect(unknown.body.error.code).toBe("VALIDATION_ERROR");
    const asViewer = await api(viewer, "POST", `/projects/${projectId}/agents/templates`, {
      templateId: "solo-developer",
    });
    expect(asViewer.status).toBe(403);
    expect(await crewRoles()).toEqual(before);
  });
});

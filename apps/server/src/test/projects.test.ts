import { schema } from "@crewdeck/db";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import {
  EXPECTED_DEFAULT_CREW,
  registerUser,
  startTestServer,
  type TestServer,
  type TestUser,
} from "./harness";

let repoCounter = 1000;
const githubRepo = (fullName: string, language: string | null, extra: Record<string, unknown> = {}) => ({
  id: ++repoCounter,
  name: fullName.split("/")[1],
  full_name: fullName,
  clone_url: `https://github.com/${fullName}.git`,
  default_branch: "main",
  language,
  ...extra,
});

describe("projects", () => {
  let server: TestServer;
  let owner: TestUser;

  beforeAll(async () => {
    server = await startTestServer({ RATE_LIMIT_REGISTER_MAX: "1000" });
    owner = await registerUser(server);
  });
  afterAll(async () => {
    await server.stop();
  });

  const create = (token: string, body: Record<string, unknown>) =>
    server.api("POST", "/projects", { token, body });
  const agentIds = async (token: string, projectId: string): Promise<string[]> => {
    const res = await server.api("GET", `/projects/${projectId}/agents`, { token });
    return res.body.items.map((a: { id: string }) => a.id);
  };

  describe("POST /projects", () => {
    it("creates a project with repositories whose type follows their language unless given", async () => {
      const res = await create(owner.access_token, {
        name: "Storefront",
        description: "The shop",
        color: "#3b82f6",
        repositories: [
          githubRepo("acme/web", "TypeScript"),
          githubRepo("acme/api", "Python"),
          githubRepo("acme/ios", "Swift"),
          githubRepo("acme/infra", "HCL"),
          githubRepo("acme/odd", "Haskell"),
          githubRepo("acme/forced", "TypeScript", { type: "backend" }),
        ],
      });
      expect(res.status).toBe(200);
      expect(res.body).toMatchObject({
        name: "Storefront",
        description: "The shop",
        color: "#3b82f6",
        role: "owner",
        ownerId: owner.user.id,
        isActive: true,
      });
      const types = Object.fromEntries(
        res.body.repositories.map((r: { fullName: string; type: string }) => [r.fullName, r.type]),
      );
      expect(types).toEqual({
        "acme/web": "frontend",
        "acme/api": "backend",
        "acme/ios": "mobile",
        "acme/infra": "infrastructure",
        "acme/odd": "other",
        "acme/forced": "backend",
      });
      const web = res.body.repositories.find((r: { fullName: string }) => r.fullName === "acme/web");
      expect(web).toMatchObject({
        name: "web",
        cloneUrl: "https://github.com/acme/web.git",
        defaultBranch: "main",
        language: "TypeScript",
      });
      expect(typeof web.githubId).toBe("number");
    });

    it("gives a new project the default crew of six, in order, as its pipeline", async () => {
      const res = await create(owner.access_token, { name: "Crewed" });
      expect(res.status).toBe(200);
      const agents = await server.api("GET", `/projects/${res.body.id}/agents`, {
        token: owner.access_token,
      });
      expect(agents.status).toBe(200);
      expect(agents.body.items.map((a: { role: string }) => a.role)).toEqual(EXPECTED_DEFAULT_CREW);
      // An empty pipeline means "the crew's own order" (schema: projects.pipeline).
      expect(res.body.pipeline).toEqual([]);
      expect(agents.body.items.map((a: { position: number }) => a.position)).toEqual([0, 1, 2, 3, 4, 5]);
    });

    it("refuses a body without a name", async () => {
      const res = await create(owner.access_token, { description: "nameless" });
      expect(res.status).toBe(400);
      expect(res.body.error.code).toBe("VALIDATION_ERROR");
      expect(res.body.error.details.map((d: { field: string }) => d.field)).toContain("name");
    });
  });

  describe("GET /projects", () => {
    let user: TestUser;
    beforeAll(async () => {
      user = await registerUser(server);
      for (let i = 1; i <= 5; i++) {
        const res = await create(user.access_token, {
          name: `Listed ${i}`,
          type: i % 2 === 0 ? "mobile-app" : "web-app",
          status: i === 5 ? "completed" : "in-progress",
        });
        expect(res.status).toBe(200);
      }
      const special = await create(user.access_token, { name: "Needle in haystack", type: "api" });
      await server.api("PATCH", `/projects/${special.body.id}`, {
        token: user.access_token,
        body: { isActive: false },
      });
    });

    it("paginates with page and limit", async () => {
      const first = await server.api("GET", "/projects?page=1&limit=4", { token: user.access_token });
      expect(first.status).toBe(200);
      expect(first.body).toMatchObject({ total: 6, page: 1, pages: 2 });
      expect(first.body.items).toHaveLength(4);
      const second = await server.api("GET", "/projects?page=2&limit=4", { token: user.access_token });
      expect(second.body).toMatchObject({ total: 6, page: 2, pages: 2 });
      expect(second.body.items).toHaveLength(2);
      const ids = new Set([...first.body.items, ...second.body.items].map((p: { id: string }) => p.id));
      expect(ids.size).toBe(6);
    });

    it("carries stats and usage on each item", async () => {
      const res = await server.api("GET", "/projects", { token: user.access_token });
      for (const item of res.body.items) {
        expect(item.stats).toEqual({
          openIssues: expect.any(Number),
          activeConversations: expect.any(Number),
          totalTasks: expect.any(Number),
          completedTasks: expect.any(Number),
          progress: expect.any(Number),
          todayCostUsd: expect.any(Number),
        });
        expect(item.usage).toEqual({ totalTokens: expect.any(Number), totalCostUsd: expect.any(Number) });
      }
    });

    it("refuses a limit over 100", async () => {
      const res = await server.api("GET", "/projects?limit=101", { token: user.access_token });
      expect(res.status).toBe(400);
      expect(res.body.error.code).toBe("VALIDATION_ERROR");
      expect(res.body.error.details.map((d: { field: string }) => d.field)).toContain("limit");
    });

    it("filters by status, type, search and isActive", async () => {
      const names = async (query: string) => {
        const res = await server.api("GET", `/projects?${query}`, { token: user.access_token });
        expect(res.status).toBe(200);
        expect(res.body.total).toBe(res.body.items.length);
        return res.body.items.map((p: { name: string }) => p.name).sort();
      };
      expect(await names("status=completed")).toEqual(["Listed 5"]);
      expect(await names("type=mobile-app")).toEqual(["Listed 2", "Listed 4"]);
      expect(await names("search=needle")).toEqual(["Needle in haystack"]);
      expect(await names("isActive=false")).toEqual(["Needle in haystack"]);
      expect(await names("isActive=true")).toHaveLength(5);
      expect(await names("type=web-app&status=in-progress")).toEqual(["Listed 1", "Listed 3"]);
    });

    it("matches % and _ in a search literally, not as wildcards", async () => {
      const searcher = await registerUser(server);
      for (const name of ["Half 50% done", "snake_case", "plain"]) {
        await create(searcher.access_token, { name });
      }
      const found = async (search: string) => {
        const res = await server.api("GET", `/projects?search=${encodeURIComponent(search)}`, {
          token: searcher.access_token,
        });
        return res.body.items.map((p: { name: string }) => p.name);
      };
      expect(await found("%")).toEqual(["Half 50% done"]);
      expect(await found("_")).toEqual(["snake_case"]);
      expect(await found("PLAIN")).toEqual(["plain"]);
    });
  });

  describe("GET, PATCH and DELETE /projects/{id}", () => {
    it("returns the project with repositories, members, usage and task counts", async () => {
      const created = await create(owner.access_token, {
        name: "Detailed",
        repositories: [githubRepo("acme/detail", "Go")],
      });
      const res = await server.api("GET", `/projects/${created.body.id}`, { token: owner.access_token });
      expect(res.status).toBe(200);
      expect(res.body.id).toBe(created.body.id);
      expect(res.body.repositories).toHaveLength(1);
      expect(res.body.repositories[0]).toMatchObject({ fullName: "acme/detail", type: "backend" });
      expect(res.body.members).toEqual([
        expect.objectContaining({ userId: owner.user.id, role: "owner", email: owner.email }),
      ]);
      expect(Array.isArray(res.body.usage.byModel)).toBe(true);
      expect(Array.isArray(res.body.usage.byAgent)).toBe(true);
      expect(typeof res.body.usage.totalTokens).toBe("number");
      expect(typeof res.body.taskCounts).toBe("object");
      expect(res.body.taskCounts).not.toBeNull();
    });

    it("shows the same progress and spend as the project list, with the tasks by status", async () => {
      const created = await create(owner.access_token, { name: "Figures" });
      const projectId = created.body.id;
      const statuses = ["completed", "completed", "completed", "in_progress", "in_progress", "backlog"];
      await server.deps.db
        .insert(schema.tasks)
        .values(
          statuses.map((status, i) => ({ projectId, title: `Task ${i}`, status: status as "backlog" })),
        );
      const spend = (costMicros: number, at: Date) =>
        server.deps.db.insert(schema.usageRecords).values({
          userId: owner.user.id,
          projectId,
          provider: "anthropic",
          model: "claude-sonnet-4-5",
          inputTokens: 100,
          costMicros,
          outcome: "success",
          createdAt: at,
        });
      await spend(250_000, new Date());
      await spend(750_000, new Date(Date.now() - 3 * 86_400_000));
      const talk = await server.api("POST", "/conversations", {
        token: owner.access_token,
        body: { title: "Live", projectId },
      });
      expect(talk.status).toBe(200);

      const detail = await server.api("GET", `/projects/${projectId}`, { token: owner.access_token });
      expect(detail.status).toBe(200);
      expect(detail.body.stats).toEqual({
        openIssues: 0,
        activeConversations: 1,
        totalTasks: 6,
        completedTasks: 3,
        progress: 50,
        todayCostUsd: 0.25,
      });
      expect(detail.body.taskCounts).toMatchObject({ completed: 3, in_progress: 2, backlog: 1, pending: 0 });
      expect(detail.body.usage).toMatchObject({ totalTokens: 200, totalCostUsd: 1 });

      const listed = await server.api("GET", "/projects?search=Figures", { token: owner.access_token });
      const item = listed.body.items.find((p: { id: string }) => p.id === projectId);
      expect(item.stats).toEqual(detail.body.stats);
      expect(item.usage).toEqual({ totalTokens: 200, totalCostUsd: 1 });
    });

    it("updates name, status, isActive and the pipeline order", async () => {
      const created = await create(owner.access_token, { name: "Mutable" });
      const id = created.body.id;
      const reversed = (await agentIds(owner.access_token, id)).reverse();
      expect(reversed).toHaveLength(6);
      const res = await server.api("PATCH", `/projects/${id}`, {
        token: owner.access_token,
        body: { name: "Mutated", status: "on-hold", isActive: false, pipeline: reversed },
      });
      expect(res.status).toBe(200);
      expect(res.body).toMatchObject({
        name: "Mutated",
        status: "on-hold",
        isActive: false,
        pipeline: reversed,
      });
      const again = await server.api("GET", `/projects/${id}`, { token: owner.access_token });
      expect(again.body).toMatchObject({
        name: "Mutated",
        status: "on-hold",
        isActive: false,
        pipeline: reversed,
      });
    });

    it("refuses a pipeline naming another project's agent or an unknown id", async () => {
      const mine = await create(owner.access_token, { name: "Pipeline A" });
      const other = await create(owner.access_token, { name: "Pipeline B" });
      const res = await server.api("PATCH", `/projects/${mine.body.id}`, {
        token: owner.access_token,
        body: {
          pipeline: [
            (await agentIds(owner.access_token, mine.body.id))[0],
            (await agentIds(owner.access_token, other.body.id))[0],
            "no-such-agent",
          ],
        },
      });
      expect(res.status).toBe(400);
      expect(res.body.error.code).toBe("VALIDATION_ERROR");
      const fields = res.body.error.details.map((d: { field: string }) => d.field);
      expect(fields).toEqual(["pipeline.1", "pipeline.2"]);
      const unchanged = await server.api("GET", `/projects/${mine.body.id}`, { token: owner.access_token });
      expect(unchanged.body.pipeline).toEqual(mine.body.pipeline);
    });

    it("lets the owner delete a project, after which it is gone", async () => {
      const created = await create(owner.access_token, { name: "Doomed" });
      const id = created.body.id;
      const del = await server.api("DELETE", `/projects/${id}`, { token: owner.access_token });
      expect(del.status).toBe(200);
      const after = await server.api("GET", `/projects/${id}`, { token: owner.access_token });
      expect(after.status).toBe(404);
      expect(after.body.error.code).toBe("RESOURCE_NOT_FOUND");
      const agents = await server.api("GET", `/projects/${id}/agents`, { token: owner.access_token });
      expect(agents.status).toBe(404);
    });
  });

  describe("members", () => {
    let projectId: string;
    let maintainer: TestUser;
    let viewer: TestUser;
    let extra: TestUser;

    beforeAll(async () => {
      maintainer = await registerUser(server);
      viewer = await registerUser(server);
      extra = await registerUser(server);
      const created = await create(owner.access_token, { name: "Team" });
      projectId = created.body.id;
    });

    it("adds a member by email and by userId, once they accept the invitation", async () => {
      const byEmail = await server.api("POST", `/projects/${projectId}/members`, {
        token: owner.access_token,
        body: { email: maintainer.email, role: "maintainer" },
      });
      expect(byEmail.status).toBe(200);
      expect(byEmail.body.invitation).toMatchObject({ email: maintainer.email, role: "maintainer" });

      const byId = await server.api("POST", `/projects/${projectId}/members`, {
        token: owner.access_token,
        body: { userId: viewer.user.id, role: "viewer" },
      });
      expect(byId.status).toBe(200);
      expect(byId.body.invitation).toMatchObject({ userId: viewer.user.id, role: "viewer" });

      for (const [invited, member] of [
        [byEmail, maintainer],
        [byId, viewer],
      ] as const) {
        const accepted = await server.api("POST", `/invitations/${invited.body.invitation.id}/accept`, {
          token: member.access_token,
        });
        expect(accepted.status).toBe(200);
      }

      const list = await server.api("GET", `/projects/${projectId}/members`, { token: owner.access_token });
      expect(list.status).toBe(200);
      const roles = Object.fromEntries(
        list.body.items.map((m: { userId: string; role: string }) => [m.userId, m.role]),
      );
      expect(roles).toEqual({
        [owner.user.id]: "owner",
        [maintainer.user.id]: "maintainer",
        [viewer.user.id]: "viewer",
      });
    });

    it("answers an unknown user as it answers a known one, and 409 for an existing member", async () => {
      const unknownEmail = await server.api("POST", `/projects/${projectId}/members`, {
        token: owner.access_token,
        body: { email: "nobody-at-all@example.test", role: "viewer" },
      });
      expect(unknownEmail.status).toBe(200);
      expect(unknownEmail.body.invitation).toMatchObject({
        email: "nobody-at-all@example.test",
        status: "pending",
      });
      const unknownId = await server.api("POST", `/projects/${projectId}/members`, {
        token: owner.access_token,
        body: { userId: "no-such-user", role: "viewer" },
      });
      expect(unknownId.status).toBe(200);
      const again = await server.api("POST", `/projects/${projectId}/members`, {
        token: owner.access_token,
        body: { email: maintainer.email, role: "viewer" },
      });
      expect(again.status).toBe(409);
      expect(again.body.error.code).toBe("CONFLICT");
    });

    it("lets a viewer read the project but not change it", async () => {
      const get = await server.api("GET", `/projects/${projectId}`, { token: viewer.access_token });
      expect(get.status).toBe(200);
      expect(get.body.role).toBe("viewer");
      const members = await server.api("GET", `/projects/${projectId}/members`, {
        token: viewer.access_token,
      });
      expect(members.status).toBe(200);
      const patch = await server.api("PATCH", `/projects/${projectId}`, {
        token: viewer.access_token,
        body: { name: "Viewer was here" },
      });
      expect(patch.status).toBe(403);
      expect(patch.body.error.code).toBe("FORBIDDEN");
      const listed = await server.api("GET", "/projects", { token: viewer.access_token });
      expect(listed.body.items.map((p: { id: string }) => p.id)).toContain(projectId);
    });

    it("lets a maintainer change the project but not its members or existence", async () => {
      const patch = await server.api("PATCH", `/projects/${projectId}`, {
        token: maintainer.access_token,
        body: { description: "Edited by the maintainer" },
      });
      expect(patch.status).toBe(200);
      expect(patch.body.description).toBe("Edited by the maintainer");
      const add = await server.api("POST", `/projects/${projectId}/members`, {
        token: maintainer.access_token,
        body: { userId: extra.user.id, role: "viewer" },
      });
      expect(add.status).toBe(403);
      expect(add.body.error.code).toBe("FORBIDDEN");
      const del = await server.api("DELETE", `/projects/${projectId}`, { token: maintainer.access_token });
      expect(del.status).toBe(403);
      expect(del.body.error.code).toBe("FORBIDDEN");
      const still = await server.api("GET", `/projects/${projectId}`, { token: owner.access_token });
      expect(still.status).toBe(200);
    });

    it("leaves agents' network access to the owner: off by default, a maintainer who changes it gets 403", async () => {
      const initially = await server.api("GET", `/projects/${projectId}`, { token: owner.access_token });
      expect(initially.body.agentNetwork).toBe(false);
      const listed = await server.api("GET", "/projects", { token: owner.access_token });
      expect(listed.body.items.find((p: { id: string }) => p.id === projectId)?.agentNetwork).toBe(false);

      const refused = await server.api("PATCH", `/projects/${projectId}`, {
        token: maintainer.access_token,
        body: { agentNetwork: true, description: "Sneaked in with the network" },
      });
      expect(refused.status).toBe(403);
      expect(refused.body.error.code).toBe("FORBIDDEN");
      expect(refused.body.error.message).toMatch(/owner/);
      const unchanged = await server.api("GET", `/projects/${projectId}`, { token: owner.access_token });
      expect(unchanged.body).toMatchObject({ agentNetwork: false, description: "Edited by the maintainer" });

      const allowed = await server.api("PATCH", `/projects/${projectId}`, {
        token: owner.access_token,
        body: { agentNetwork: true },
      });
      expect(allowed.status).toBe(200);
      expect(allowed.body.agentNetwork).toBe(true);
      const seen = await server.api("GET", `/projects/${projectId}`, { token: maintainer.access_token });
      expect(seen.body.agentNetwork).toBe(true);

      // The maintainer keeps the other fields, and cannot turn it off either.
      const other = await server.api("PATCH", `/projects/${projectId}`, {
        token: maintainer.access_token,
        body: { status: "in-progress" },
      });
      expect(other.status).toBe(200);
      expect(other.body).toMatchObject({ status: "in-progress", agentNetwork: true });
      const off = await server.api("PATCH", `/projects/${projectId}`, {
        token: maintainer.access_token,
        body: { agentNetwork: false },
      });
      expect(off.status).toBe(403);
      const back = await server.api("PATCH", `/projects/${projectId}`, {
        token: owner.access_token,
        body: { agentNetwork: false },
      });
      expect(back.body.agentNetwork).toBe(false);
    });

    it("changes a member's role", async () => {
      const res = await server.api("PATCH", `/projects/${projectId}/members/${viewer.user.id}`, {
        token: owner.access_token,
        body: { role: "maintainer" },
      });
      expect(res.status).toBe(200);
      expect(res.body).toMatchObject({ userId: viewer.user.id, role: "maintainer" });
      const back = await server.api("PATCH", `/projects/${projectId}/members/${viewer.user.id}`, {
        token: owner.access_token,
        body: { role: "viewer" },
      });
      expect(back.body.role).toBe("viewer");
      const unknown = await server.api("PATCH", `/projects/${projectId}/members/${extra.user.id}`, {
        token: owner.access_token,
        body: { role: "viewer" },
      });
      expect(unknown.status).toBe(404);
    });

    it("never demotes or removes the last owner", async () => {
      const demote = await server.api("PATCH", `/projects/${projectId}/members/${owner.user.id}`, {
        token: owner.access_token,
        body: { role: "maintainer" },
      });
      expect(demote.status).toBe(409);
      expect(demote.body.error.code).toBe("CONFLICT");
      const remove = await server.api("DELETE", `/projects/${projectId}/members/${owner.user.id}`, {
        token: owner.access_token,
      });
      expect(remove.status).toBe(409);
      expect(remove.body.error.code).toBe("CONFLICT");
      const list = await server.api("GET", `/projects/${projectId}/members`, { token: owner.access_token });
      expect(list.body.items.find((m: { userId: string }) => m.userId === owner.user.id).role).toBe("owner");
    });

    it("lets an owner step down once there is another owner", async () => {
      const promote = await server.api("PATCH", `/projects/${projectId}/members/${maintainer.user.id}`, {
        token: owner.access_token,
        body: { role: "owner" },
      });
      expect(promote.status).toBe(200);
      const demote = await server.api("PATCH", `/projects/${projectId}/members/${owner.user.id}`, {
        token: maintainer.access_token,
        body: { role: "maintainer" },
      });
      expect(demote.status).toBe(200);
      expect(demote.body.role).toBe("maintainer");
      const restore = await server.api("PATCH", `/projects/${projectId}/members/${owner.user.id}`, {
        token: maintainer.access_token,
        body: { role: "owner" },
      });
      expect(restore.status).toBe(200);
    });

    it("removes a member, who then cannot see the project", async () => {
      const del = await server.api("DELETE", `/projects/${projectId}/members/${viewer.user.id}`, {
        token: owner.access_token,
      });
      expect(del.status).toBe(200);
      const list = await server.api("GET", `/projects/${projectId}/members`, { token: owner.access_token });
      expect(list.body.items.map((m: { userId: string }) => m.userId)).not.toContain(viewer.user.id);
      const gone = await server.api("GET", `/projects/${projectId}`, { token: viewer.access_token });
      expect(gone.status).toBe(404);
      const again = await server.api("DELETE", `/projects/${projectId}/members/${viewer.user.id}`, {
        token: owner.access_token,
      });
      expect(again.status).toBe(404);
    });
  });

  describe("repositories", () => {
    let projectId: string;
    beforeAll(async () => {
      const created = await create(owner.access_token, {
        name: "Repos",
        repositories: [githubRepo("acme/first", "JavaScript")],
      });
      projectId = created.body.id;
    });

    it("links a repository, inferring its type", async () => {
      const res = await server.api("POST", `/projects/${projectId}/repositories`, {
        token: owner.access_token,
        body: githubRepo("acme/second", "Kotlin"),
      });
      expect(res.status).toBe(200);
      expect(res.body).toMatchObject({ fullName: "acme/second", type: "mobile", defaultBranch: "main" });
      const explicit = await server.api("POST", `/projects/${projectId}/repositories`, {
        token: owner.access_token,
        body: githubRepo("acme/third", "Kotlin", { type: "infrastructure" }),
      });
      expect(explicit.body.type).toBe("infrastructure");
      const project = await server.api("GET", `/projects/${projectId}`, { token: owner.access_token });
      expect(project.body.repositories.map((r: { fullName: string }) => r.fullName).sort()).toEqual([
        "acme/first",
        "acme/second",
        "acme/third",
      ]);
    });

    it("refuses a duplicate full_name with 409", async () => {
      const res = await server.api("POST", `/projects/${projectId}/repositories`, {
        token: owner.access_token,
        body: githubRepo("acme/first", "JavaScript"),
      });
      expect(res.status).toBe(409);
      expect(res.body.error.code).toBe("CONFLICT");
    });

    it("unlinks a repository; an unknown one is 404", async () => {
      const project = await server.api("GET", `/projects/${projectId}`, { token: owner.access_token });
      const repo = project.body.repositories.find((r: { fullName: string }) => r.fullName === "acme/second");
      const del = await server.api("DELETE", `/projects/${projectId}/repositories/${repo.id}`, {
        token: owner.access_token,
      });
      expect(del.status).toBe(200);
      const after = await server.api("GET", `/projects/${projectId}`, { token: owner.access_token });
      expect(after.body.repositories.map((r: { fullName: string }) => r.fullName)).not.toContain(
        "acme/second",
      );
      const again = await server.api("DELETE", `/projects/${projectId}/repositories/${repo.id}`, {
        token: owner.access_token,
      });
      expect(again.status).toBe(404);
      expect(again.body.error.code).toBe("RESOURCE_NOT_FOUND");
      const unknown = await server.api("DELETE", `/projects/${projectId}/repositories/no-such-repo`, {
        token: owner.access_token,
      });
      expect(unknown.status).toBe(404);
    });
  });
});

// Budget limits over REST (§2.9): who may set which limit, validation, spend from real usage records,
// the summary banner, and limits going with the project or agent they cover.

import { schema } from "@crewdeck/db";
import { enforceBudgets } from "@crewdeck/engine";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { addMember, registerUser, startTestServer, type TestServer, type TestUser } from "./harness";

describe("budget limits", () => {
  let server: TestServer;
  let admin: TestUser;
  let owner: TestUser;
  let maintainer: TestUser;
  let outsider: TestUser;
  let project: { id: string; name: string };
  let agentIds: string[];

  beforeAll(async () => {
    // No daily spend cap unless a test sets one, so the limits made here are the tightest.
    server = await startTestServer({
      RATE_LIMIT_REGISTER_MAX: "1000",
      RATE_LIMIT_LOGIN_MAX: "1000",
      DEFAULT_DAILY_SPEND_CAP_USD: "0",
    });
    admin = await registerUser(server); // the first account administers the site
    owner = await registerUser(server);
    maintainer = await registerUser(server);
    outsider = await registerUser(server);
    const created = await server.api("POST", "/projects", {
      token: owner.access_token,
      body: { name: "Website" },
    });
    expect(created.status).toBe(200);
    project = created.body;
    const added = await addMember(server, owner.access_token, project.id, maintainer, "maintainer");
    expect(added.status).toBeLessThan(300);
    const agents = await server.api("GET", `/projects/${project.id}/agents`, { token: owner.access_token });
    agentIds = agents.body.items.map((a: { id: string }) => a.id);
  });
  afterAll(async () => {
    await server.stop();
  });

  const as = (user: TestUser) => ({
    create: (body: Record<string, unknown>) =>
      server.api("POST", "/budget/limits", { token: user.access_token, body }),
    list: () => server.api("GET", "/budget/limits?limit=100", { token: user.access_token }),
    update: (id: string, body: Record<string, unknown>) =>
      server.api("PATCH", `/budget/limits/${id}`, { token: user.access_token, body }),
    remove: (id: string) => server.api("DELETE", `/budget/limits/${id}`, { token: user.access_token }),
    summary: () => server.api("GET", "/budget/summary", { token: user.access_token }),
  });
  const projectLimit = (extra: Record<string, unknown> = {}) => ({
    name: "Website daily",
    scopeType: "project",
    scopeId: project.id,
    amountUsd: 10,
    period: "daily",
    alertThreshold: 0.8,
    actionOnExceed: "block",
    ...extra,
  });
  const ids = (res: { body: { items: { id: string }[] } }) => res.body.items.map((l) => l.id);
  const storedLimit = (id: string) =>
    server.deps.db.query.budgetLimits.findFirst({ where: (l, { eq }) => eq(l.id, id) });
  const todayStart = () => {
    const now = new Date();
    return new Date(Date.UTC(now.getUTCFullYear(), now.getUTCMonth(), now.getUTCDate())).toISOString();
  };
  async function spend(usd: number, on: { userId: string; projectId?: string; agentId?: string }, at?: Date) {
    await server.deps.db.insert(schema.usageRecords).values({
      userId: on.userId,
      projectId: on.projectId ?? null,
      agentId: on.agentId ?? null,
      provider: "anthropic",
      model: "claude-sonnet-4-5",
      costMicros: Math.round(usd * 1_000_000),
      outcome: "success",
      ...(at ? { createdAt: at } : {}),
    });
  }

  describe("CRUD by a project's owner", () => {
    it("creates, lists, changes and deletes a project limit", async () => {
      const created = await as(owner).create(projectLimit());
      expect(created.status).toBe(200);
      expect(created.body).toEqual({
        id: expect.any(String),
        name: "Website daily",
        scopeType: "project",
        scopeId: project.id,
        scopeName: "Website",
        amountUsd: 10,
        period: "daily",
        alertThreshold: 0.8,
        actionOnExceed: "block",
        isActive: true,
        spentUsd: 0,
        percentage: 0,
        periodStart: todayStart(),
        createdAt: expect.any(String),
        updatedAt: expect.any(String),
      });
      const id = created.body.id;
      expect(await storedLimit(id)).toMatchObject({ amountMicros: 10_000_000, createdById: owner.user.id });

      const listed = await as(owner).list();
      expect(listed.status).toBe(200);
      expect(listed.body).toMatchObject({ page: 1, total: expect.any(Number) });
      expect(listed.body.items.find((l: { id: string }) => l.id === id)).toEqual(created.body);
      expect(ids(await as(maintainer).list())).toContain(id);
      expect(ids(await as(outsider).list())).not.toContain(id);

      const changed = await as(owner).update(id, {
        amountUsd: 20.5,
        isActive: false,
        actionOnExceed: "pause",
      });
      expect(changed.status).toBe(200);
      expect(changed.body).toMatchObject({
        amountUsd: 20.5,
        isActive: false,
        actionOnExceed: "pause",
        name: "Website daily",
      });
      expect(await storedLimit(id)).toMatchObject({ amountMicros: 20_500_000, isActive: false });

      const removed = await as(owner).remove(id);
      expect(removed.status).toBe(200);
      expect(removed.body).toEqual({ success: true });
      expect(await storedLimit(id)).toBeUndefined();
      expect((await as(owner).update(id, { name: "again" })).status).toBe(404);
      expect((await as(owner).remove(id)).status).toBe(404);
    });

    it("reports this period's spend from the usage records of the scope, not yesterday's or another's", async () => {
      const { body: limit } = await as(owner).create(projectLimit({ name: "Spend probe", amountUsd: 8 }));
      await spend(2.5, { userId: owner.user.id, projectId: project.id, agentId: agentIds[0] });
      await spend(1.5, { userId: maintainer.user.id, projectId: project.id });
      await spend(
        50,
        { userId: owner.user.id, projectId: project.id },
        new Date(Date.now() - 2 * 86_400_000),
      );
      await spend(7, { userId: outsider.user.id });
      const { body } = await as(owner).list();
      const listed = body.items.find((l: { id: string }) => l.id === limit.id);
      expect(listed).toMatchObject({ spentUsd: 4, percentage: 50 });
      await as(owner).remove(limit.id);
    });

    it("reports a month's spend over all its days, from its first instant, without calls still in flight", async () => {
      const { body: limit } = await as(owner).create(
        projectLimit({ name: "Monthly probe", amountUsd: 100, period: "monthly" }),
      );
      const before = (await as(owner).list()).body.items.find((l: { id: string }) => l.id === limit.id);
      const now = new Date();
      const monthStart = Date.UTC(now.getUTCFullYear(), now.getUTCMonth(), 1);
      expect(before.periodStart).toBe(new Date(monthStart).toISOString());
      const on = { userId: maintainer.user.id, projectId: project.id };
      await spend(3, on, new Date(monthStart));
      await spend(40, on, new Date(monthStart - 1));
      // Each day of the month so far, at noon (today's only if noon has passed).
      const days = Math.floor((now.getTime() - monthStart) / 86_400_000);
      for (let day = 0; day <= days; day++) {
        const noon = new Date(monthStart + day * 86_400_000 + 43_200_000);
        if (noon <= now) await spend(0.5, on, noon);
      }
      const noons = days + (now.getTime() - (monthStart + days * 86_400_000) >= 43_200_000 ? 1 : 0);
      // A call in flight: its row is written pending, at its worst case.
      await server.deps.db.insert(schema.usageRecords).values({
        userId: maintainer.user.id,
        projectId: project.id,
        provider: "anthropic",
        model: "claude-sonnet-4-5",
        costMicros: 9_000_000,
        outcome: "interrupted",
        status: "pending",
      });
      const listed = (await as(owner).list()).body.items.find((l: { id: string }) => l.id === limit.id);
      expect(listed.spentUsd).toBeCloseTo(before.spentUsd + 3 + 0.5 * noons, 6);
      await as(owner).remove(limit.id);
    });
  });

  describe("who may set which limit", () => {
    it("global limits: admins only, visible to everyone", async () => {
      const global = { name: "Site cap", scopeType: "global", amountUsd: 500, period: "monthly" };
      const refused = await as(owner).create(global);
      expect(refused.status).toBe(403);
      expect(refused.body.error.code).toBe("FORBIDDEN");

      const created = await as(admin).create(global);
      expect(created.status).toBe(200);
      expect(created.body).toMatchObject({ scopeType: "global", scopeId: null, scopeName: "Global" });
      expect(ids(await as(outsider).list())).toContain(created.body.id);
      expect((await as(owner).update(created.body.id, { amountUsd: 1 })).status).toBe(403);
      expect((await as(outsider).remove(created.body.id)).status).toBe(403);
      expect(await storedLimit(created.body.id)).toMatchObject({ amountMicros: 500_000_000 });
      expect((await as(admin).remove(created.body.id)).status).toBe(200);
    });

    it("project limits: the owner; a maintainer gets 403, an outsider 404", async () => {
      const byMaintainer = await as(maintainer).create(projectLimit());
      expect(byMaintainer.status).toBe(403);
      const byOutsider = await as(outsider).create(projectLimit());
      expect(byOutsider.status).toBe(404);
      expect(byOutsider.body.error.code).toBe("RESOURCE_NOT_FOUND");
      const byAdmin = await as(admin).create(projectLimit());
      expect(byAdmin.status).toBe(404);

      const { body: limit } = await as(owner).create(projectLimit());
      expect((await as(maintainer).update(limit.id, { amountUsd: 1000 })).status).toBe(403);
      expect((await as(maintainer).remove(limit.id)).status).toBe(403);
      const outsiderPatch = await as(outsider).update(limit.id, { amountUsd: 1000 });
      expect(outsiderPatch.status).toBe(404);
      expect(JSON.stringify(outsiderPatch.body)).not.toContain(project.id);
      expect((await as(outsider).remove(limit.id)).status).toBe(404);
      expect(await storedLimit(limit.id)).toMatchObject({ amountMicros: 10_000_000 });
      await as(owner).remove(limit.id);
    });

    it("agent limits: the owner of the agent's project", async () => {
      const body = { ...projectLimit(), scopeType: "agent", scopeId: agentIds[0], name: "One agent" };
      expect((await as(maintainer).create(body)).status).toBe(403);
      expect((await as(outsider).create(body)).status).toBe(404);
      expect((await as(owner).create({ ...body, scopeId: "no-such-agent" })).status).toBe(404);
      const created = await as(owner).create(body);
      expect(created.status).toBe(200);
      expect(created.body.scopeName).toEqual(expect.any(String));
      expect(ids(await as(maintainer).list())).toContain(created.body.id);
      expect(ids(await as(outsider).list())).not.toContain(created.body.id);
      await as(owner).remove(created.body.id);
    });

    it("user limits: on yourself, or on anyone as an admin, who alone may lift what they set", async () => {
      const mine = {
        name: "My cap",
        scopeType: "user",
        scopeId: outsider.user.id,
        amountUsd: 3,
        period: "weekly",
      };
      const own = await as(outsider).create(mine);
      expect(own.status).toBe(200);
      expect(own.body).toMatchObject({
        alertThreshold: 0.8,
        actionOnExceed: "warn",
        scopeName: expect.any(String),
      });
      expect((await as(owner).create(mine)).status).toBe(404);
      expect(ids(await as(owner).list())).not.toContain(own.body.id);
      expect((await as(owner).update(own.body.id, { amountUsd: 1 })).status).toBe(404);
      expect((await as(outsider).update(own.body.id, { amountUsd: 4 })).status).toBe(200);

      const imposed = await as(admin).create({ ...mine, name: "Imposed" });
      expect(imposed.status).toBe(200);
      expect(ids(await as(outsider).list())).toContain(imposed.body.id);
      expect(ids(await as(admin).list())).toEqual(expect.arrayContaining([own.body.id, imposed.body.id]));
      expect((await as(outsider).remove(imposed.body.id)).status).toBe(403);
      expect((await as(admin).update(imposed.body.id, { amountUsd: 2 })).status).toBe(200);
      expect((await as(admin).create({ ...mine, scopeId: "no-such-user" })).status).toBe(404);
      await as(admin).remove(imposed.body.id);
      await as(outsider).remove(own.body.id);
    });
  });

  describe("validation", () => {
    const fieldsOf = (res: { body: { error: { details?: { field: string }[] } } }) =>
      (res.body.error.details ?? []).map((d) => d.field);

    it.each([
      ["a string amount", { amountUsd: "5" }, "amountUsd"],
      ["a zero amount", { amountUsd: 0 }, "amountUsd"],
      ["a negative amount", { amountUsd: -1 }, "amountUsd"],
      ["a threshold above 1", { alertThreshold: 2 }, "alertThreshold"],
      ["a string threshold", { alertThreshold: "0.5" }, "alertThreshold"],
      ["an unknown period", { period: "hourly" }, "period"],
      ["an unknown action", { actionOnExceed: "explode" }, "actionOnExceed"],
      ["an empty name", { name: " " }, "name"],
      ["a missing scopeId", { scopeId: undefined }, "scopeId"],
      ["a global limit with a scopeId", { scopeType: "global" }, "scopeId"],
    ])("refuses %s with 400 naming the field", async (_what, change, field) => {
      const res = await as(admin).create({ ...projectLimit(), ...change });
      expect(res.status).toBe(400);
      expect(res.body.error.code).toBe("VALIDATION_ERROR");
      expect(fieldsOf(res)).toContain(field);
    });

    it("refuses bad changes the same way and leaves the limit as it was", async () => {
      const { body: limit } = await as(owner).create(projectLimit());
      for (const change of [{ amountUsd: "5" }, { alertThreshold: -0.1 }, { isActive: "false" }]) {
        const res = await as(owner).update(limit.id, change);
        expect(res.status).toBe(400);
        expect(fieldsOf(res)).toContain(Object.keys(change)[0]);
      }
      expect(await storedLimit(limit.id)).toMatchObject({
        amountMicros: 10_000_000,
        alertThreshold: 0.8,
        isActive: true,
      });
      await as(owner).remove(limit.id);
    });
  });

  describe("GET /budget/summary", () => {
    it("shows the daily spend cap as everyone's daily limit, as an administrator sets it", async () => {
      const setCap = (usd: number) =>
        server.api("PATCH", "/admin/settings", {
          token: admin.access_token,
          body: { dailySpendCapUsd: usd },
        });
      expect((await as(outsider).summary()).body.today.limitUsd).toBeNull();
      expect((await setCap(2)).status).toBe(200);
      try {
        expect((await as(outsider).summary()).body.today).toMatchObject({ limitUsd: 2 });
      } finally {
        expect((await setCap(0)).status).toBe(200);
      }
      expect((await as(outsider).summary()).body.today.limitUsd).toBeNull();
    });

    it("shows spend you can see against your tightest limits, and the alerts of this period", async () => {
      const { body: siteDaily } = await as(admin).create({
        name: "Site daily",
        scopeType: "global",
        amountUsd: 1000,
        period: "daily",
      });
      const { body: ownDaily } = await as(owner).create({
        name: "My daily",
        scopeType: "user",
        scopeId: owner.user.id,
        amountUsd: 100,
        period: "daily",
      });
      const { body: warnLimit } = await as(owner).create(
        projectLimit({ name: "Website watch", amountUsd: 5, actionOnExceed: "warn" }),
      );

      const before = (await as(owner).summary()).body;
      await spend(4.5, { userId: owner.user.id, projectId: project.id, agentId: agentIds[0] });
      await enforceBudgets(server.deps.engine, {
        userId: owner.user.id,
        projectId: project.id,
        agentId: agentIds[0] ?? null,
      });

      const res = await as(owner).summary();
      expect(res.status).toBe(200);
      expect(res.body.today.spentUsd).toBeCloseTo(before.today.spentUsd + 4.5, 6);
      expect(res.body.today.limitUsd).toBe(100);
      expect(res.body.today.percentage).toBe(Math.round((res.body.today.spentUsd / 100) * 1000) / 10);
      expect(res.body.week).toMatchObject({ limitUsd: null, percentage: null });
      expect(res.body.week.spentUsd).toBeGreaterThanOrEqual(res.body.today.spentUsd);
      expect(res.body.alerts).toContainEqual({
        id: expect.any(String),
        limitId: warnLimit.id,
        level: "critical",
        scope: { type: "project", id: project.id, name: "Website" },
        spentUsd: expect.any(Number),
        limitUsd: 5,
        percentage: expect.any(Number),
        message: expect.stringContaining('has reached the limit "Website watch"'),
        createdAt: expect.any(String),
      });
      // The owner was notified; the maintainer sees the alert on the banner but got no notification.
      const notices = await server.api("GET", "/notifications", { token: owner.access_token });
      expect(notices.body.items.map((n: { data: { limitId?: string } }) => n.data.limitId)).toContain(
        warnLimit.id,
      );
      const maintainerView = await as(maintainer).summary();
      expect(maintainerView.body.alerts.map((a: { limitId: string }) => a.limitId)).toContain(warnLimit.id);
      expect(maintainerView.body.today.limitUsd).toBe(1000);

      // Outsiders see neither the project's spend nor its alerts; admins see all spend.
      const outsiderView = await as(outsider).summary();
      expect(outsiderView.body.alerts.map((a: { limitId: string }) => a.limitId)).not.toContain(warnLimit.id);
      expect(JSON.stringify(outsiderView.body)).not.toContain(project.id);
      const adminView = await as(admin).summary();
      expect(adminView.body.today.spentUsd).toBeGreaterThanOrEqual(
        res.body.today.spentUsd + outsiderView.body.today.spentUsd - 1e-9,
      );
      expect(adminView.body.today.limitUsd).toBe(1000);

      for (const [user, id] of [
        [admin, siteDaily.id],
        [owner, ownDaily.id],
        [owner, warnLimit.id],
      ] as const) {
        expect((await as(user).remove(id)).status).toBe(200);
      }
    });
  });

  describe("deleting what a limit covers", () => {
    it("deletes an agent's limits with the agent, and a project's and its agents' limits with the project", async () => {
      const created = await server.api("POST", "/projects", {
        token: owner.access_token,
        body: { name: "Doomed" },
      });
      const doomed = created.body;
      const agents = (await server.api("GET", `/projects/${doomed.id}/agents`, { token: owner.access_token }))
        .body.items;
      const limitOn = async (scopeType: string, scopeId: string) =>
        (await as(owner).create({ ...projectLimit(), scopeType, scopeId })).body.id as string;
      const firstAgentLimit = await limitOn("agent", agents[0].id);
      const secondAgentLimit = await limitOn("agent", agents[1].id);
      const projectLimitId = await limitOn("project", doomed.id);
      const survivor = await limitOn("project", project.id);

      const gone = await server.api("DELETE", `/projects/${doomed.id}/agents/${agents[0].id}`, {
        token: owner.access_token,
      });
      expect(gone.status).toBe(200);
      expect(await storedLimit(firstAgentLimit)).toBeUndefined();
      expect(await storedLimit(secondAgentLimit)).toBeDefined();

      expect(
        (await server.api("DELETE", `/projects/${doomed.id}`, { token: owner.access_token })).status,
      ).toBe(200);
      expect(await storedLimit(secondAgentLimit)).toBeUndefined();
      expect(await storedLimit(projectLimitId)).toBeUndefined();
      expect(await storedLimit(survivor)).toBeDefined();
      await as(owner).remove(survivor);
    });
  });
});

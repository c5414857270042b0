// Notifications over REST: stored by the real notify service, then listed, filtered and read by their owner only.
import { type NotificationDto, notifyProjectMembers, notifyUser } from "@crewdeck/api";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { addMember, registerUser, startTestServer, type TestServer, type TestUser } from "./harness";

describe("notifications", () => {
  let server: TestServer;

  beforeAll(async () => {
    server = await startTestServer({ RATE_LIMIT_REGISTER_MAX: "1000", RATE_LIMIT_LOGIN_MAX: "1000" });
  });
  afterAll(async () => {
    await server.stop();
  });

  const list = (user: TestUser, query = "") =>
    server.api("GET", `/notifications${query}`, { token: user.access_token });
  const storedRow = (id: string) =>
    server.deps.db.query.notifications.findFirst({ where: (n, { eq }) => eq(n.id, id) });

  /** A user with an info, a warning and a critical notification, created in that order. */
  async function userWithInbox() {
    const user = await registerUser(server);
    const db = server.deps.db;
    const info = await notifyUser(db, {
      userId: user.user.id,
      type: "task_completed",
      title: "Task done",
      message: "Checkout page is ready",
      data: { taskId: "t1" },
    });
    const warning = await notifyUser(db, {
      userId: user.user.id,
      type: "budget_alert",
      severity: "warning",
      title: "80% of the daily budget",
      message: "Spend is at $8 of $10",
    });
    const critical = await notifyUser(db, {
      userId: user.user.id,
      type: "budget_alert",
      severity: "critical",
      title: "Budget exceeded",
      message: "Agents are paused",
    });
    return { user, info, warning, critical };
  }

  describe("notifyUser", () => {
    it("stores the notification with defaults and returns it as the API serves it", async () => {
      const user = await registerUser(server);
      const seen: { userId: string; notification: NotificationDto }[] = [];
      const created = await notifyUser(
        server.deps.db,
        { userId: user.user.id, type: "task_completed", title: "Done", message: "All green" },
        { onCreated: (userId, notification) => void seen.push({ userId, notification }) },
      );
      expect(created).toEqual({
        id: expect.any(String),
        type: "task_completed",
        severity: "info",
        title: "Done",
        message: "All green",
        data: {},
        isRead: false,
        readAt: null,
        createdAt: expect.any(String),
      });
      expect(seen).toEqual([{ userId: user.user.id, notification: created }]);
      const row = await storedRow(created.id);
      expect(row).toMatchObject({ userId: user.user.id, isRead: false, severity: "info" });

      const res = await list(user);
      expect(res.status).toBe(200);
      expect(res.body.items).toEqual([created]);
    });
  });

  describe("notifyProjectMembers", () => {
    it("notifies the members of a project, or only those with at least the given role", async () => {
      const owner = await registerUser(server);
      const maintainer = await registerUser(server);
      const viewer = await registerUser(server);
      const outsider = await registerUser(server);
      const project = await server.api("POST", "/projects", {
        token: owner.access_token,
        body: { name: "Shop" },
      });
      expect(project.status).toBe(200);
      for (const [member, role] of [
        [maintainer, "maintainer"],
        [viewer, "viewer"],
      ] as const) {
        const added = await addMember(server, owner.access_token, project.body.id, member, role);
        expect(added.status).toBe(200);
      }

      const everyone = await notifyProjectMembers(server.deps.db, project.body.id, {
        type: "project_update",
        title: "Shop archived",
        message: "The project was archived",
        data: { projectId: project.body.id },
      });
      expect(everyone).toHaveLength(3);
      const writers = await notifyProjectMembers(
        server.deps.db,
        project.body.id,
        { type: "budget_alert", severity: "warning", title: "Budget", message: "80% used" },
        { minRole: "maintainer" },
      );
      expect(writers).toHaveLength(2);

      const titles = async (user: TestUser) =>
        (await list(user)).body.items.map((n: { title: string }) => n.title).sort();
      expect(await titles(owner)).toEqual(["Budget", "Shop archived"]);
      expect(await titles(maintainer)).toEqual(["Budget", "Shop archived"]);
      expect(await titles(viewer)).toEqual(["Shop archived"]);
      expect(await titles(outsider)).toEqual([]);
      const [forViewer] = (await list(viewer)).body.items;
      expect(forViewer.data).toEqual({ projectId: project.body.id });
    });
  });

  describe("GET /notifications", () => {
    it("lists only the caller's notifications, newest first, with the unread count", async () => {
      const { user, info, warning, critical } = await userWithInbox();
      const other = await userWithInbox();
      const res = await list(user);
      expect(res.status).toBe(200);
      expect(res.body).toMatchObject({ total: 3, page: 1, pages: 1, unreadCount: 3 });
      expect(res.body.items.map((n: { id: string }) => n.id)).toEqual([critical.id, warning.id, info.id]);
      expect(res.body.items[2]).toEqual(info);
      expect(JSON.stringify(res.body)).not.toContain(other.info.id);
    });

    it("filters by severity and by read state; the unread count ignores the filters", async () => {
      const { user, info, warning } = await userWithInbox();
      expect(
        (await server.api("POST", `/notifications/${info.id}/read`, { token: user.access_token })).status,
      ).toBe(200);

      const warnings = await list(user, "?severity=warning");
      expect(warnings.status).toBe(200);
      expect(warnings.body.items.map((n: { id: string }) => n.id)).toEqual([warning.id]);
      expect(warnings.body).toMatchObject({ total: 1, unreadCount: 2 });

      const unread = await list(user, "?isRead=false");
      expect(unread.body.items.map((n: { severity: string }) => n.severity)).toEqual(["critical", "warning"]);
      expect(unread.body.total).toBe(2);

      const read = await list(user, "?isRead=true");
      expect(read.body.items.map((n: { id: string }) => n.id)).toEqual([info.id]);
      expect(read.body).toMatchObject({ total: 1, unreadCount: 2 });

      const none = await list(user, "?isRead=true&severity=critical");
      expect(none.body).toMatchObject({ items: [], total: 0, pages: 0, unreadCount: 2 });
    });

    it("pages with limit and page, and defaults to 50 a page", async () => {
      const { user, info, warning, critical } = await userWithInbox();
      const first = await list(user, "?limit=2");
      expect(first.body).toMatchObject({ total: 3, page: 1, pages: 2 });
      expect(first.body.items.map((n: { id: string }) => n.id)).toEqual([critical.id, warning.id]);
      const second = await list(user, "?limit=2&page=2");
      expect(second.body).toMatchObject({ total: 3, page: 2, pages: 2 });
      expect(second.body.items.map((n: { id: string }) => n.id)).toEqual([info.id]);

      const busy = await registerUser(server);
      for (let i = 0; i < 55; i++) {
        await notifyUser(server.deps.db, {
          userId: busy.user.id,
          type: "task_completed",
          title: `Task ${i}`,
          message: "done",
        });
      }
      const page = await list(busy);
      expect(page.body.items).toHaveLength(50);
      expect(page.body).toMatchObject({ total: 55, pages: 2, unreadCount: 55 });
      expect(page.body.items[0].title).toBe("Task 54");
    });

    it("rejects bad filters and needs a signed-in caller", async () => {
      const { user } = await userWithInbox();
      for (const query of ["?isRead=maybe", "?severity=fatal", "?limit=101", "?limit=0", "?page=0"]) {
        const res = await list(user, query);
        expect(res.status, query).toBe(400);
        expect(res.body.error.code).toBe("VALIDATION_ERROR");
      }
      const anonymous = await server.api("GET", "/notifications");
      expect(anonymous.status).toBe(401);
      expect(anonymous.body.error.code).toBe("UNAUTHORIZED");
    });
  });

  describe("POST /notifications/{notificationId}/read", () => {
    it("marks one notification read, and reading it again keeps the first time", async () => {
      const { user, warning, critical } = await userWithInbox();
      const res = await server.api("POST", `/notifications/${warning.id}/read`, { token: user.access_token });
      expect(res.status).toBe(200);
      expect(res.body).toMatchObject({ id: warning.id, isRead: true, readAt: expect.any(String) });
      expect(Date.parse(res.body.readAt)).toBeGreaterThanOrEqual(Date.parse(warning.createdAt));

      const again = await server.api("POST", `/notifications/${warning.id}/read`, {
        token: user.access_token,
      });
      expect(again.status).toBe(200);
      expect(again.body).toEqual(res.body);

      expect((await storedRow(warning.id))?.isRead).toBe(true);
      expect((await storedRow(critical.id))?.isRead).toBe(false);
      expect((await list(user)).body.unreadCount).toBe(2);
    });

    it("answers 404 for another user's notification and leaves it unread", async () => {
      const mine = await userWithInbox();
      const theirs = await userWithInbox();
      const res = await server.api("POST", `/notifications/${theirs.info.id}/read`, {
        token: mine.user.access_token,
      });
      expect(res.status).toBe(404);
      expect(res.body.error.code).toBe("RESOURCE_NOT_FOUND");
      expect((await storedRow(theirs.info.id))?.isRead).toBe(false);
      expect((await list(theirs.user)).body.unreadCount).toBe(3);

      const unknown = await server.api("POST", "/notifications/no-such-id/read", {
        token: mine.user.access_token,
      });
      expect(unknown.status).toBe(404);
    });
  });

  describe("POST /notifications/read-all", () => {
    it("marks every unread notification of the caller, and only theirs", async () => {
      const { user, info } = await userWithInbox();
      const other = await userWithInbox();
      await server.api("POST", `/notifications/${info.id}/read`, { token: user.access_token });
      const firstRead = (await storedRow(info.id))?.readAt;

      const res = await server.api("POST", "/notifications/read-all", { token: user.access_token });
      expect(res.status).toBe(200);
      expect(res.body).toEqual({ updated: 2 });
      const after = await list(user);
      expect(after.body.unreadCount).toBe(0);
      expect(after.body.items.every((n: { isRead: boolean; readAt: string }) => n.isRead && n.readAt)).toBe(
        true,
      );
      expect((await storedRow(info.id))?.readAt).toEqual(firstRead);

      const again = await server.api("POST", "/notifications/read-all", {
        token: user.access_token,
        body: {},
      });
      expect(again.status).toBe(200);
      expect(again.body).toEqual({ updated: 0 });

      expect((await list(other.user)).body.unreadCount).toBe(3);
    });
  });

  describe("notification preferences", () => {
    const preferences = (user: TestUser) =>
      server.api("GET", "/notifications/preferences", { token: user.access_token });
    const choose = (user: TestUser, choices: Array<{ kind: string; enabled: unknown }>) =>
      server.api("PATCH", "/notifications/preferences", {
        token: user.access_token,
        body: { preferences: choices },
      });
    const types = async (user: TestUser) =>
      (await list(user)).body.items.map((n: { type: string }) => n.type) as string[];

    it("every kind is on until the person turns it off; choices are theirs alone", async () => {
      const user = await registerUser(server);
      const other = await registerUser(server);
      const initial = await preferences(user);
      expect(initial.status).toBe(200);
      expect(initial.body.preferences.map((p: { kind: string }) => p.kind)).toEqual([
        "run_completed",
        "run_failed",
        "run_cancelled",
        "run_stopped",
        "pull_request_opened",
        "pull_request_approved",
        "pull_request_rejected",
        "project_added",
      ]);
      expect(initial.body.preferences.every((p: { enabled: boolean }) => p.enabled)).toBe(true);
      const changed = await choose(user, [
        { kind: "run_failed", enabled: false },
        { kind: "pull_request_opened", enabled: false },
        { kind: "pull_request_opened", enabled: true },
      ]);
      expect(changed.status).toBe(200);
      const enabled = Object.fromEntries(
        changed.body.preferences.map((p: { kind: string; enabled: boolean }) => [p.kind, p.enabled]),
      );
      expect(enabled).toMatchObject({ run_failed: false, pull_request_opened: true, run_completed: true });
      expect((await preferences(user)).body).toEqual(changed.body);
      expect((await preferences(other)).body).toEqual(initial.body);
    });

    it("refuses unknown kinds and non-boolean choices with 400", async () => {
      const user = await registerUser(server);
      for (const choice of [
        { kind: "budget_alert", enabled: false },
        { kind: "run_failed", enabled: "no" },
        { kind: "run_failed" },
      ]) {
        const res = await choose(user, [choice as { kind: string; enabled: unknown }]);
        expect(res.status, JSON.stringify(choice)).toBe(400);
        expect(res.body.error.code).toBe("VALIDATION_ERROR");
      }
    });

    it("a kind turned off is not sent, to one person or to a project's members; budget alerts still are", async () => {
      const owner = await registerUser(server);
      const quiet = await registerUser(server);
      const keen = await registerUser(server);
      await choose(quiet, [
        { kind: "project_added", enabled: false },
        { kind: "pull_request_opened", enabled: false },
        { kind: "run_failed", enabled: false },
      ]);
      const project = await server.api("POST", "/projects", {
        token: owner.access_token,
        body: { name: "Quiet" },
      });
      // Being added to a project: the invitation is its notice (and goes once it is answered).
      for (const person of [quiet, keen]) {
        const invited = await server.api("POST", `/projects/${project.body.id}/members`, {
          token: owner.access_token,
          body: { userId: person.user.id, role: "viewer" },
        });
        expect(invited.status).toBe(200);
      }
      expect(await types(quiet)).toEqual([]);
      expect(await types(keen)).toEqual(["project_invitation"]);
      const other = await server.api("POST", "/projects", {
        token: owner.access_token,
        body: { name: "Other" },
      });
      await addMember(server, owner.access_token, other.body.id, quiet, "maintainer");
      await addMember(server, owner.access_token, other.body.id, keen, "maintainer");
      const db = server.deps.db;
      const opened = await notifyProjectMembers(
        db,
        other.body.id,
        { type: "pull_request_opened", title: "PR #1 opened", message: "For review" },
        { minRole: "maintainer", except: owner.user.id },
      );
      expect(opened.length).toBe(1);
      expect(
        await notifyUser(db, { userId: quiet.user.id, type: "run_failed", title: "Failed", message: "x" }),
      ).toBeNull();
      await notifyUser(db, {
        userId: quiet.user.id,
        type: "budget_alert",
        severity: "warning",
        title: "80%",
        message: "$8 of $10",
      });
      await notifyUser(db, { userId: keen.user.id, type: "run_failed", title: "Failed", message: "x" });

      expect(await types(quiet)).toEqual(["budget_alert"]);
      expect((await types(keen)).sort()).toEqual(["project_invitation", "pull_request_opened", "run_failed"]);
      expect(await types(owner)).toEqual([]);
      // Back on, the next one arrives.
      await choose(quiet, [{ kind: "run_failed", enabled: true }]);
      await notifyUser(db, {
        userId: quiet.user.id,
        type: "run_failed",
        title: "Failed again",
        message: "y",
      });
      expect(await types(quiet)).toEqual(["run_failed", "budget_alert"]);
    });
  });
});

// Account over REST: API keys, data export, account deletion and admin-only catalog edits.
import { createHash } from "node:crypto";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { registerUser, startTestServer, type TestServer, type TestUser } from "./harness";

describe("account", () => {
  let server: TestServer;
  let admin: TestUser;
  beforeAll(async () => {
    server = await startTestServer({ RATE_LIMIT_REGISTER_MAX: "1000", RATE_LIMIT_LOGIN_MAX: "1000" });
    admin = await registerUser(server);
  });
  afterAll(async () => {
    await server.stop();
  });

  describe("API keys", () => {
    it("creates a key shown once, lists it without the secret, and authenticates with X-API-Key", async () => {
      const u = await registerUser(server);
      const created = await server.api("POST", "/api-keys", { token: u.access_token, body: { name: "CI" } });
      expect(created.status).toBe(200);
      expect(created.body).toMatchObject({ id: expect.any(String), name: "CI", key: expect.any(String) });
      const key = created.body.key as string;
      expect(key.length).toBeGreaterThanOrEqual(20);

      const list = await server.api("GET", "/api-keys", { token: u.access_token });
      expect(list.status).toBe(200);
      expect(list.body.items).toHaveLength(1);
      expect(list.body.items[0]).toMatchObject({
        id: created.body.id,
        name: "CI",
        prefix: expect.any(String),
      });
      expect(list.body.items[0].key).toBeUndefined();
      expect(JSON.stringify(list.body)).not.toContain(key);
      expect(key.startsWith(list.body.items[0].prefix)).toBe(true);

      const me = await server.api("GET", "/auth/me", { apiKey: key });
      expect(me.status).toBe(200);
      expect(me.body.id).toBe(u.user.id);

      const bad = await server.api("GET", "/auth/me", { apiKey: `${key}x` });
      expect(bad.status).toBe(401);
      expect(bad.body.error.code).toBe("UNAUTHORIZED");
      const garbage = await server.api("GET", "/auth/me", { apiKey: "cd_not_a_key" });
      expect(garbage.status).toBe(401);
    });

    it("validates the name", async () => {
      const u = await registerUser(server);
      const res = await server.api("POST", "/api-keys", { token: u.access_token, body: { name: "" } });
      expect(res.status).toBe(400);
      expect(res.body.error.code).toBe("VALIDATION_ERROR");
      expect(res.body.error.details.map((d: { field: string }) => d.field)).toContain("name");
    });

    it("revokes a key; someone else's key id is 404 and keeps working", async () => {
      const u = await registerUser(server);
      const other = await registerUser(server);
      const mine = await server.api("POST", "/api-keys", { token: u.access_token, body: { name: "mine" } });
      const theirs = await server.api("POST", "/api-keys", {
        token: other.access_token,
        body: { name: "theirs", expiresInDays: 30 },
      });
      expect(theirs.body.expiresAt).toEqual(expect.any(String));

      const probe = await server.api("DELETE", `/api-keys/${theirs.body.id}`, { token: u.access_token });
      expect(probe.status).toBe(404);
      expect(probe.body.error.code).toBe("RESOURCE_NOT_FOUND");
      expect((await server.api("GET", "/auth/me", { apiKey: theirs.body.key })).status).toBe(200);

      const del = await server.api("DELETE", `/api-keys/${mine.body.id}`, { token: u.access_token });
      expect(del.status).toBe(200);
      const after = await server.api("GET", "/auth/me", { apiKey: mine.body.key });
      expect(after.status).toBe(401);
      expect(after.body.error.code).toBe("UNAUTHORIZED");
      const list = await server.api("GET", "/api-keys", { token: u.access_token });
      expect(list.body.items).toHaveLength(0);
    });
  });

  describe("export", () => {
    it("downloads the user's data as a JSON attachment without secrets", async () => {
      const u = await registerUser(server);
      const project = await server.api("POST", "/projects", {
        token: u.access_token,
        body: { name: "Exported project" },
      });
      expect(project.status).toBe(200);
      const key = await server.api("POST", "/api-keys", {
        token: u.access_token,
        body: { name: "export-key" },
      });

      const res = await fetch(`${server.url}/api/v1/users/me/export`, {
        headers: { authorization: `Bearer ${u.access_token}` },
      });
      expect(res.status).toBe(200);
      expect(res.headers.get("content-type")).toMatch(/application\/json/);
      expect(res.headers.get("content-disposition")).toMatch(/^attachment;.*filename=".+\.json"/);
      const text = await res.text();
      const body = JSON.parse(text);
      expect(body.user).toMatchObject({ id: u.user.id, email: u.email });
      expect(body.projects.map((p: { id: string }) => p.id)).toContain(project.body.id);
      expect(body.projects.find((p: { id: string }) => p.id === project.body.id).name).toBe(
        "Exported project",
      );
      expect(body.apiKeys.map((k: { id: string }) => k.id)).toContain(key.body.id);

      expect(text).not.toContain(u.refresh_token);
      expect(text).not.toContain(u.access_token);
      expect(text).not.toContain(key.body.key);
      expect(text.toLowerCase()).not.toContain("password");
      expect(text).not.toContain("scrypt");
    });

    it("holds the invitations the person sent and received, without their links", async () => {
      const owner = await registerUser(server);
      const invitee = await registerUser(server);
      const project = await server.api("POST", "/projects", {
        token: owner.access_token,
        body: { name: "Team" },
      });
      const sent = await server.api("POST", `/projects/${project.body.id}/members`, {
        token: owner.access_token,
        body: { email: invitee.email, role: "maintainer" },
      });
      expect(sent.status, JSON.stringify(sent.body)).toBe(200);
      const invitationId: string = sent.body.invitation.id;
      const token = String(sent.body.link).split("/invite/")[1] ?? "";
      expect(token).not.toBe("");

      const exportOf = async (person: typeof owner) => {
        const res = await server.api("GET", "/users/me/export", { token: person.access_token });
        expect(res.status).toBe(200);
        return res.body;
      };
      const ids = (list: { id: string }[]) => list.map((i) => i.id);
      const ofOwner = await exportOf(owner);
      expect(ids(ofOwner.invitations.sent)).toEqual([invitationId]);
      expect(ofOwner.invitations.sent[0]).toMatchObject({
        projectId: project.body.id,
        email: invitee.email.toLowerCase(),
        role: "maintainer",
      });
      expect(ids(ofOwner.invitations.received)).toEqual([]);
      const ofInvitee = await exportOf(invitee);
      expect(ids(ofInvitee.invitations.received)).toEqual([invitationId]);
      expect(ids(ofInvitee.invitations.sent)).toEqual([]);

      const tokenHash = createHash("sha256").update(token).digest("hex");
      for (const text of [JSON.stringify(ofOwner), JSON.stringify(ofInvitee)]) {
        expect(text).not.toContain(token);
        expect(text).not.toContain(tokenHash);
        expect(text).not.toContain("tokenHash");
      }
    });

    it("requires authentication", async () => {
      const res = await server.api("GET", "/users/me/export");
      expect(res.status).toBe(401);
    });
  });

  describe("delete account", () => {
    it("deletes the user, their tokens and the projects they alone own", async () => {
      const u = await registerUser(server);
      const project = await server.api("POST", "/projects", {
        token: u.access_token,
        body: { name: "Doomed" },
      });
      expect(project.status).toBe(200);
      const key = await server.api("POST", "/api-keys", { token: u.access_token, body: { name: "k" } });
      expect(
        (await server.api("GET", `/projects/${project.body.id}`, { token: u.access_token })).status,
      ).toBe(200);

      const res = await server.api("DELETE", "/users/me", {
        token: u.access_token,
        body: { password: u.password },
      });
      expect(res.status).toBe(200);
      expect(res.body).toMatchObject({ success: true });

      for (const token of [u.access_token, u.refresh_token]) {
        const me = await server.api("GET", "/auth/me", { token });
        expect(me.status).toBe(401);
        expect(me.body.error.code).toBe("UNAUTHORIZED");
      }
      expect((await server.api("GET", "/auth/me", { apiKey: key.body.key })).status).toBe(401);
      expect(
        (await server.api("POST", "/auth/refresh", { body: { refresh_token: u.refresh_token } })).status,
      ).toBe(401);
      const login = await server.api("POST", "/auth/login", {
        body: { email: u.email, password: u.password },
      });
      expect(login.status).toBe(401);

      const gone = await server.api("GET", `/projects/${project.body.id}`, { token: admin.access_token });
      expect(gone.status).toBe(404);
      expect(gone.body.error.code).toBe("RESOURCE_NOT_FOUND");

      // The email is free again.
      const again = await server.api("POST", "/auth/register", {
        body: { email: u.email, username: u.username, password: "a new password" },
      });
      expect(again.status).toBe(200);
      expect(again.body.user.id).not.toBe(u.user.id);
    });

    it("refuses to delete the last administrator while other users exist", async () => {
      const res = await server.api("DELETE", "/users/me", {
        token: admin.access_token,
        body: { password: admin.password },
      });
      expect(res.status).toBe(409);
      expect(res.body.error.code).toBe("CONFLICT");
      expect((await server.api("GET", "/auth/me", { token: admin.access_token })).status).toBe(200);
    });
  });

  describe("admin-only model catalog", () => {
    const model = {
      id: "test-model-1",
      provider: "anthropic",
      displayName: "Test Model",
      inputCostPerMTok: 1.5,
      outputCostPerMTok: 7.5,
      contextWindow: 200000,
      maxOutputTokens: 8192,
      capabilities: ["vision"],
    };

    it("forbids a non-admin from adding or editing models", async () => {
      const u = await registerUser(server);
      expect(u.user.role).toBe("user");
      const create = await server.api("POST", "/models", { token: u.access_token, body: model });
      expect(create.status).toBe(403);
      expect(create.body.error.code).toBe("FORBIDDEN");
      const list = await server.api("GET", "/models", { token: u.access_token });
      expect(list.status).toBe(200);
      expect(list.body.items.map((m: { id: string }) => m.id)).not.toContain(model.id);
    });

    it("lets an admin add a model and edit it", async () => {
      const create = await server.api("POST", "/models", { token: admin.access_token, body: model });
      expect(create.status).toBe(200);
      expect(create.body).toMatchObject({ ...model, isActive: true });

      const u = await registerUser(server);
      const patchByUser = await server.api("PATCH", `/models/${model.id}`, {
        token: u.access_token,
        body: { displayName: "Hijacked" },
      });
      expect(patchByUser.status).toBe(403);

      const patch = await server.api("PATCH", `/models/${model.id}`, {
        token: admin.access_token,
        body: { displayName: "Test Model v2", outputCostPerMTok: 9 },
      });
      expect(patch.status).toBe(200);
      expect(patch.body).toMatchObject({ id: model.id, displayName: "Test Model v2", outputCostPerMTok: 9 });

      const list = await server.api("GET", "/models", { token: u.access_token });
      expect(list.body.items.find((m: { id: string }) => m.id === model.id)).toMatchObject({
        displayName: "Test Model v2",
        inputCostPerMTok: 1.5,
        outputCostPerMTok: 9,
      });

      const deactivate = await server.api("PATCH", `/models/${model.id}`, {
        token: admin.access_token,
        body: { isActive: false },
      });
      expect(deactivate.body.isActive).toBe(false);
      const active = await server.api("GET", "/models", { token: u.access_token });
      expect(active.body.items.map((m: { id: string }) => m.id)).not.toContain(model.id);
      const all = await server.api("GET", "/models?includeInactive=true", { token: u.access_token });
      expect(all.body.items.map((m: { id: string }) => m.id)).toContain(model.id);
    });
  });
});

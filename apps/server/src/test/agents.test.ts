import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { addMember, registerUser, startTestServer, type TestServer, type TestUser } from "./harness";

const validAgent = {
  name: "Extra Reviewer",
  role: "reviewer",
  modelConfig: { model: "claude-sonnet-4-5", temperature: 0.3, maxTokens: 8000 },
  systemPrompt: "Review carefully.",
  rulesFilePath: "CLAUDE.md",
};

describe("models and agents", () => {
  let server: TestServer;
  let owner: TestUser;
  let projectId: string;
  const base = () => `/projects/${projectId}/agents`;

  beforeAll(async () => {
    server = await startTestServer();
    owner = await registerUser(server);
    const created = await server.api("POST", "/projects", {
      token: owner.access_token,
      body: { name: "Crew" },
    });
    projectId = created.body.id;
  });
  afterAll(async () => {
    await server.stop();
  });

  describe("GET /models", () => {
    it("lists the seeded Claude models with prices per million tokens", async () => {
      const res = await server.api("GET", "/models", { token: owner.access_token });
      expect(res.status).toBe(200);
      expect(res.body.items.length).toBeGreaterThan(0);
      for (const model of res.body.items) {
        expect(model).toMatchObject({
          id: expect.any(String),
          provider: expect.any(String),
          displayName: expect.any(String),
          inputCostPerMTok: expect.any(Number),
          outputCostPerMTok: expect.any(Number),
          contextWindow: expect.any(Number),
          maxOutputTokens: expect.any(Number),
          capabilities: expect.any(Array),
          isActive: true,
        });
      }
      const sonnet = res.body.items.find((m: { id: string }) => m.id === "claude-sonnet-4-5");
      expect(sonnet).toMatchObject({ provider: "anthropic", inputCostPerMTok: 3, outputCostPerMTok: 15 });
    });

    it("needs authentication", async () => {
      const res = await server.api("GET", "/models");
      expect(res.status).toBe(401);
      expect(res.body.error.code).toBe("UNAUTHORIZED");
    });
  });

  describe("agents", () => {
    it("lists the crew with status and stats", async () => {
      const res = await server.api("GET", base(), { token: owner.access_token });
      expect(res.status).toBe(200);
      expect(res.body.items).toHaveLength(6);
      for (const agent of res.body.items) {
        expect(["idle", "working", "paused", "error"]).toContain(agent.status);
        expect(agent.stats).toEqual({ messagesToday: 0, costTodayUsd: 0, tasksCompleted: 0 });
        expect(agent.projectId).toBe(projectId);
        expect(agent.modelConfig).toEqual({
          model: expect.any(String),
          temperature: expect.any(Number),
          maxTokens: expect.any(Number),
        });
      }
    });

    it("creates an agent and reads it back", async () => {
      const res = await server.api("POST", base(), { token: owner.access_token, body: validAgent });
      expect(res.status).toBe(200);
      expect(res.body).toMatchObject({
        name: "Extra Reviewer",
        role: "reviewer",
        modelConfig: validAgent.modelConfig,
        systemPrompt: "Review carefully.",
        rulesFilePath: "CLAUDE.md",
        isActive: true,
        status: "idle",
        memoryResetAt: null,
        stats: { messagesToday: 0, costTodayUsd: 0, tasksCompleted: 0 },
      });
      const got = await server.api("GET", `${base()}/${res.body.id}`, { token: owner.access_token });
      expect(got.status).toBe(200);
      expect(got.body).toEqual(res.body);
      const list = await server.api("GET", base(), { token: owner.access_token });
      expect(list.body.items.map((a: { id: string }) => a.id)).toContain(res.body.id);
    });

    it("refuses an unknown model, a temperature over 2 and maxTokens under 100", async () => {
      const cases: Array<[Record<string, unknown>, string]> = [
        [{ ...validAgent.modelConfig, model: "gpt-nonexistent" }, "modelConfig.model"],
        [{ ...validAgent.modelConfig, temperature: 3 }, "modelConfig.temperature"],
        [{ ...validAgent.modelConfig, maxTokens: 50 }, "modelConfig.maxTokens"],
        [{ ...validAgent.modelConfig, maxTokens: 200_000 }, "modelConfig.maxTokens"],
      ];
      for (const [modelConfig, field] of cases) {
        const res = await server.api("POST", base(), {
          token: owner.access_token,
          body: { ...validAgent, modelConfig },
        });
        expect(res.status, JSON.stringify(modelConfig)).toBe(400);
        expect(res.body.error.code).toBe("VALIDATION_ERROR");
        expect(res.body.error.details.map((d: { field: string }) => d.field)).toContain(field);
      }
    });

    it("updates name, part of the model configuration and isActive", async () => {
      const created = await server.api("POST", base(), {
        token: owner.access_token,
        body: { ...validAgent, name: "Patchable" },
      });
      const id = created.body.id;
      const res = await server.api("PATCH", `${base()}/${id}`, {
        token: owner.access_token,
        body: { name: "Patched", modelConfig: { temperature: 1.5 }, isActive: false },
      });
      expect(res.status).toBe(200);
      expect(res.body).toMatchObject({
        name: "Patched",
        isActive: false,
        modelConfig: { model: "claude-sonnet-4-5", temperature: 1.5, maxTokens: 8000 },
      });
      const model = await server.api("PATCH", `${base()}/${id}`, {
        token: owner.access_token,
        body: { modelConfig: { model: "claude-haiku-4-5" } },
      });
      expect(model.status).toBe(200);
      expect(model.body.modelConfig).toEqual({
        model: "claude-haiku-4-5",
        temperature: 1.5,
        maxTokens: 8000,
      });
      const bad = await server.api("PATCH", `${base()}/${id}`, {
        token: owner.access_token,
        body: { modelConfig: { model: "not-a-model" } },
      });
      expect(bad.status).toBe(400);
      expect(bad.body.error.details.map((d: { field: string }) => d.field)).toContain("modelConfig.model");
      const got = await server.api("GET", `${base()}/${id}`, { token: owner.access_token });
      expect(got.body.modelConfig.model).toBe("claude-haiku-4-5");
    });

    it("resets memory, pauses and resumes", async () => {
      const created = await server.api("POST", base(), {
        token: owner.access_token,
        body: { ...validAgent, name: "Stateful" },
      });
      const id = created.body.id;
      const before = Date.now();
      const reset = await server.api("POST", `${base()}/${id}/reset`, { token: owner.access_token });
      expect(reset.status).toBe(200);
      expect(reset.body.memoryResetAt).toEqual(expect.any(String));
      expect(Date.parse(reset.body.memoryResetAt)).toBeGreaterThanOrEqual(before - 1000);

      const pause = await server.api("POST", `${base()}/${id}/pause`, { token: owner.access_token });
      expect(pause.status).toBe(200);
      expect(pause.body.status).toBe("paused");
      const listed = await server.api("GET", base(), { token: owner.access_token });
      expect(listed.body.items.find((a: { id: string }) => a.id === id).status).toBe("paused");

      const resume = await server.api("POST", `${base()}/${id}/resume`, { token: owner.access_token });
      expect(resume.status).toBe(200);
      expect(resume.body.status).toBe("idle");
    });

    it("deletes an agent, which also leaves the project's pipeline", async () => {
      const created = await server.api("POST", base(), {
        token: owner.access_token,
        body: { ...validAgent, name: "Short-lived" },
      });
      const id = created.body.id;
      const crew = await server.api("GET", base(), { token: owner.access_token });
      const first = crew.body.items[0].id;
      const pipeline = [id, first];
      const patched = await server.api("PATCH", `/projects/${projectId}`, {
        token: owner.access_token,
        body: { pipeline },
      });
      expect(patched.status).toBe(200);
      expect(patched.body.pipeline).toEqual(pipeline);

      const del = await server.api("DELETE", `${base()}/${id}`, { token: owner.access_token });
      expect(del.status).toBe(200);
      const got = await server.api("GET", `${base()}/${id}`, { token: owner.access_token });
      expect(got.status).toBe(404);
      expect(got.body.error.code).toBe("RESOURCE_NOT_FOUND");
      const again = await server.api("DELETE", `${base()}/${id}`, { token: owner.access_token });
      expect(again.status).toBe(404);
      const project = await server.api("GET", `/projects/${projectId}`, { token: owner.access_token });
      expect(project.body.pipeline).toEqual([first]);
    });

    it("answers 404 for an agent of another project", async () => {
      const other = await server.api("POST", "/projects", {
        token: owner.access_token,
        body: { name: "Other" },
      });
      const otherAgents = await server.api("GET", `/projects/${other.body.id}/agents`, {
        token: owner.access_token,
      });
      const foreign = otherAgents.body.items[0].id;
      const res = await server.api("GET", `${base()}/${foreign}`, { token: owner.access_token });
      expect(res.status).toBe(404);
      const patch = await server.api("PATCH", `${base()}/${foreign}`, {
        token: owner.access_token,
        body: { name: "Hijack" },
      });
      expect(patch.status).toBe(404);
    });

    it("lets a viewer list agents but not change them", async () => {
      const viewer = await registerUser(server);
      await addMember(server, owner.access_token, projectId, viewer, "viewer");
      const list = await server.api("GET", base(), { token: viewer.access_token });
      expect(list.status).toBe(200);
      const create = await server.api("POST", base(), { token: viewer.access_token, body: validAgent });
      expect(create.status).toBe(403);
      expect(create.body.error.code).toBe("FORBIDDEN");
      const pause = await server.api("POST", `${base()}/${list.body.items[0].id}/pause`, {
        token: viewer.access_token,
      });
      expect(pause.status).toBe(403);
    });
  });
});

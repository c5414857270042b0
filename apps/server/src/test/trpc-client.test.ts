import type { AppRouter } from "@crewdeck/api";
import { createTRPCClient, httpBatchLink, httpLink, TRPCClientError } from "@trpc/client";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { EXPECTED_DEFAULT_CREW, startTestServer, type TestServer } from "./harness";

describe("tRPC client", () => {
  let server: TestServer;
  let token: string | undefined;

  const client = (batch: boolean) => {
    const options = {
      url: `${server.url}/trpc`,
      headers: () => (token ? { authorization: `Bearer ${token}` } : {}),
    };
    return createTRPCClient<AppRouter>({ links: [batch ? httpBatchLink(options) : httpLink(options)] });
  };

  /** The contract's error under `error.data.error`, and tRPC's own data beside it. */
  const failure = async (promise: Promise<unknown>) => {
    const error = await promise.then(
      () => {
        throw new Error("expected the call to fail");
      },
      (e: unknown) => e,
    );
    expect(error).toBeInstanceOf(TRPCClientError);
    return error as TRPCClientError<AppRouter>;
  };

  beforeAll(async () => {
    server = await startTestServer();
  });
  afterAll(async () => {
    await server.stop();
  });

  it("registers through auth.register and uses the token", async () => {
    const res = await client(false).auth.register.mutate({
      email: "trpc@example.test",
      username: "trpcuser",
      password: "correct horse battery",
    });
    if (!("access_token" in res)) throw new Error("no mailer here: registration signs in at once");
    expect(res.token_type).toBe("bearer");
    expect(res.user.email).toBe("trpc@example.test");
    token = res.access_token;
    expect(token).toEqual(expect.any(String));
  });

  it("creates and lists projects, lists agents and models (batched)", async () => {
    const trpc = client(true);
    const project = await trpc.projects.create.mutate({
      name: "Via tRPC",
      repositories: [
        {
          id: 5,
          name: "web",
          full_name: "acme/web",
          clone_url: "https://github.com/acme/web.git",
          default_branch: "main",
          language: "TypeScript",
        },
      ],
    });
    expect(project.name).toBe("Via tRPC");
    expect(project.repositories[0]?.type).toBe("frontend");

    const [list, agents, models] = await Promise.all([
      trpc.projects.list.query({ page: 1, limit: 10 }),
      trpc.agents.list.query({ projectId: project.id }),
      trpc.models.list.query({}),
    ]);
    expect(list).toMatchObject({ total: 1, page: 1, pages: 1 });
    expect(list.items[0]?.id).toBe(project.id);
    expect(list.items[0]?.usage).toEqual({ totalTokens: 0, totalCostUsd: 0 });
    expect(agents.items.map((a) => a.role)).toEqual(EXPECTED_DEFAULT_CREW);
    const sonnet = models.items.find((m) => m.id === "claude-sonnet-4-5");
    expect(sonnet).toMatchObject({ inputCostPerMTok: 3, outputCostPerMTok: 15 });
  });

  it.each([true, false])("reports not found with the contract's code (batched: %s)", async (batch) => {
    const error = await failure(client(batch).projects.get.query({ projectId: "no-such-project" }));
    expect(error.data?.httpStatus).toBe(404);
    expect(error.data?.code).toBe("NOT_FOUND");
    expect(error.data?.error).toMatchObject({ code: "RESOURCE_NOT_FOUND", requestId: expect.any(String) });
    expect(error.message).toBe(error.data?.error.message);
  });

  it("reports validation errors with the failing fields", async () => {
    const error = await failure(
      client(false).projects.create.mutate({ name: "", color: "reddish" } as { name: string; color: string }),
    );
    expect(error.data?.httpStatus).toBe(400);
    expect(error.data?.error.code).toBe("VALIDATION_ERROR");
    const details = (error.data?.error.details ?? []) as Array<{ field: string }>;
    const fields = details.map((d) => d.field);
    expect(fields).toEqual(expect.arrayContaining(["name", "color"]));
  });

  it("reports a service's validation error (unknown model) the same way", async () => {
    const trpc = client(false);
    const projects = await trpc.projects.list.query({});
    const projectId = projects.items[0]?.id as string;
    const error = await failure(
      trpc.agents.create.mutate({
        projectId,
        name: "Bad model",
        role: "reviewer",
        modelConfig: { model: "not-a-model", temperature: 1, maxTokens: 1000 },
      }),
    );
    expect(error.data?.httpStatus).toBe(400);
    expect(error.data?.error.details).toEqual([expect.objectContaining({ field: "modelConfig.model" })]);
  });

  it("reports a missing token as UNAUTHORIZED", async () => {
    const saved = token;
    token = undefined;
    try {
      const error = await failure(client(false).projects.list.query({}));
      expect(error.data?.httpStatus).toBe(401);
      expect(error.data?.error.code).toBe("UNAUTHORIZED");
    } finally {
      token = saved;
    }
  });
});

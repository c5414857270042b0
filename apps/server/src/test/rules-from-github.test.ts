// An agent's rules file reaches chats and steps without a working tree (API.md §2.4): read through GitHub's
// contents API from the project's repository (the fake serves it from a real git repository), asked once per
// round of agents and then kept a while, and never a reason for a reply to fail.
import { afterAll, beforeAll, describe, expect, it, type MockInstance, vi } from "vitest";
import { type CodeWorld, FULL_NAME, GREET, startCodeWorld } from "./code-world";
import { addMember, registerUser } from "./harness";
import { DEFAULT_PIPELINE_ROLES, ROLE_ANSWERS } from "./role-answers";

type ModelRequest = CodeWorld["fake"]["requests"][number];

/** The system prompt a model request sent, as one string. */
const systemOf = (request: ModelRequest): string => {
  const system = request.body.system as string | Array<{ text?: string }> | undefined;
  return typeof system === "string" ? system : (system ?? []).map((b) => b.text ?? "").join("\n");
};

const rulesOf = (system: string) => /<rules>\n([\s\S]*?)\n<\/rules>/.exec(system)?.[1] ?? null;

/** The world's helpers for chats: agents' rules, a conversation with some of the crew, a round of replies. */
function chatHelpers(world: () => CodeWorld) {
  const setRules = async (role: string, rulesFilePath: string | null) => {
    const { server, owner, projectId, agents } = world();
    const res = await server.api("PATCH", `/projects/${projectId}/agents/${agents[role]}`, {
      token: owner.access_token,
      body: { rulesFilePath },
    });
    expect(res.status, JSON.stringify(res.body)).toBe(200);
  };
  const conversation = async (roles: readonly string[]) => {
    const { server, owner, projectId, agents } = world();
    const res = await server.api("POST", "/conversations", {
      token: owner.access_token,
      body: { title: "Rules", projectId, agentIds: roles.map((r) => agents[r]) },
    });
    expect(res.status, JSON.stringify(res.body)).toBe(200);
    return res.body.id as string;
  };
  /** Posts a message that `count` agents answer; the model requests their replies sent, in order. */
  const round = async (conversationId: string, content: string, count: number) => {
    const { server, owner, fake } = world();
    fake.enqueue(...Array.from({ length: count }, (_, i) => ({ text: `Reply ${i + 1}` })));
    const before = fake.requests.length;
    const posted = await server.api("POST", `/conversations/${conversationId}/messages`, {
      token: owner.access_token,
      body: { content },
    });
    expect(posted.status, JSON.stringify(posted.body)).toBe(200);
    await server.deps.engine.replies.idle();
    const replies = await server.deps.db.query.messages.findMany({
      where: (m, { and, eq }) => and(eq(m.conversationId, conversationId), eq(m.replyToId, posted.body.id)),
    });
    expect(replies.map((r) => r.status)).toEqual(Array(count).fill("complete"));
    return fake.requests.slice(before);
  };
  const contentsRequests = (path: string) =>
    world()
      .github.apiRequests()
      .filter((r) => r.path === `/repos/${FULL_NAME}/contents/${encodeURIComponent(path)}`);
  return { setRules, conversation, round, contentsRequests };
}

describe("an agent's rules file read through GitHub", () => {
  let world: CodeWorld;
  let warn: MockInstance<typeof console.warn>;
  const { setRules, conversation, round, contentsRequests } = chatHelpers(() => world);
  const warnings = () => warn.mock.calls.map((c) => String(c[0])).filter((m) => m.includes("rules file"));

  beforeAll(async () => {
    // Warnings reach the console (captured here) so the test can see what an operator would.
    world = await startCodeWorld({ LOG_LEVEL: "warn" });
    warn = vi.spyOn(console, "warn").mockImplementation(() => {});
  });
  afterAll(async () => {
    warn?.mockRestore();
    await world?.stop();
  });

  it("joins a chat reply's system prompt, asked of GitHub once for a round of six agents and not again soon after", async () => {
    for (const role of DEFAULT_PIPELINE_ROLES) await setRules(role, "README.md");
    const chat = await conversation(DEFAULT_PIPELINE_ROLES);

    const first = await round(chat, "What are the house rules?", 6);
    expect(first).toHaveLength(6);
    for (const request of first) {
      expect(systemOf(request)).toContain("## Project rules");
      expect(rulesOf(systemOf(request))).toBe("# shop");
    }
    expect(contentsRequests("README.md").map((r) => [r.status, r.query.get("ref")])).toEqual([[200, null]]);

    const second = await round(chat, "Still the same rules?", 6);
    expect(second.map((r) => rulesOf(systemOf(r)))).toEqual(Array(6).fill("# shop"));
    expect(contentsRequests("README.md")).toHaveLength(1);
  });

  it("joins the system prompt of a pipeline step that has no working tree", async () => {
    const { server, owner, fake, newTask, agents, runOf } = world;
    await setRules("product-manager", "src/greet.js");
    const task = await newTask("Plan by the rules");
    fake.enqueue({ text: ROLE_ANSWERS["product-manager"] });
    const before = fake.requests.length;
    const started = await server.api("POST", `/tasks/${task.id}/start`, {
      token: owner.access_token,
      body: { pipeline: [agents["product-manager"]] },
    });
    expect(started.status, JSON.stringify(started.body)).toBe(200);
    await server.deps.engine.steps.idle();
    expect((await runOf(task.id))?.status).toBe("completed");

    const [step] = fake.requests.slice(before);
    expect(rulesOf(systemOf(step!))).toBe(GREET.trim());
    expect(contentsRequests("src/greet.js").map((r) => r.status)).toEqual([200]);
  });

  it("leaves a reply without rules when the file is missing, saying so once", async () => {
    const roles = ["architect", "qa-engineer"];
    for (const role of roles) await setRules(role, "docs/MISSING RULES.md");
    const chat = await conversation(roles);

    const replies = await round(chat, "Any rules?", 2);
    for (const request of replies) expect(systemOf(request)).not.toContain("## Project rules");
    expect(contentsRequests("docs/MISSING RULES.md").map((r) => r.status)).toEqual([404]);
    const said = warnings().filter((m) => m.includes("docs/MISSING RULES.md"));
    expect(said).toHaveLength(1);
    expect(said[0]).toContain(`${FULL_NAME}: no such file`);
  });

  it("leaves a reply without rules when the path is a directory or GitHub fails, and keeps tokens out of the log", async () => {
    await setRules("architect", "src");
    const chat = await conversation(["architect"]);
    const [directory] = await round(chat, "Rules?", 1);
    expect(systemOf(directory!)).not.toContain("## Project rules");
    expect(contentsRequests("src").map((r) => r.status)).toEqual([200]);

    await setRules("architect", "GITHUB_DOWN.md");
    world.github.failNext(502, "Server Error", (r) => r.path.includes("/contents/"));
    const [down] = await round(chat, "Rules now?", 1);
    expect(systemOf(down!)).not.toContain("## Project rules");
    // One attempt, no retries: the reply does not wait on them.
    expect(contentsRequests("GITHUB_DOWN.md").map((r) => r.status)).toEqual([502]);
    expect(warnings().find((m) => m.includes("GITHUB_DOWN.md"))).toContain("502");

    const token = world.github.apiRequests().at(-1)!.headers.authorization!.split(" ")[1]!;
    for (const message of warnings()) expect(message).not.toContain(token);
  });

  it("does not hold a reply more than a couple of seconds when GitHub is slow", {
    timeout: 20_000,
  }, async () => {
    await setRules("architect", "SLOW.md");
    const chat = await conversation(["architect"]);
    world.github.stallNext(12_000, (r) => r.path.includes("/contents/"));
    const started = Date.now();
    const [reply] = await round(chat, "Rules, quickly?", 1);
    // Answered well before GitHub's 12 s stall ends (loose, so a loaded machine does not fail it).
    expect(Date.now() - started).toBeLessThan(10_000);
    expect(systemOf(reply!)).not.toContain("## Project rules");
    expect(warnings().find((m) => m.includes("SLOW.md"))).toContain("did not answer within 2 s");
  });

  it("refuses a path outside the repository when it is set", async () => {
    const { server, owner, projectId, agents } = world;
    const res = await server.api("PATCH", `/projects/${projectId}/agents/${agents.architect}`, {
      token: owner.access_token,
      body: { rulesFilePath: "../x" },
    });
    expect(res.status).toBe(400);
    expect(res.body.error.code).toBe("VALIDATION_ERROR");
  });
});

describe("an agent's rules file once its cache time is over", () => {
  let world: CodeWorld;
  const { setRules, conversation, round, contentsRequests } = chatHelpers(() => world);

  beforeAll(async () => {
    world = await startCodeWorld({ RULES_FILE_CACHE_MS: "0" });
  });
  afterAll(async () => {
    await world?.stop();
  });

  it("asks GitHub again with the ETag, and an unchanged file costs a 304", async () => {
    await setRules("architect", "README.md");
    const chat = await conversation(["architect"]);
    await round(chat, "Rules?", 1);
    const [again] = await round(chat, "Rules again?", 1);
    expect(rulesOf(systemOf(again!))).toBe("# shop");

    const asked = contentsRequests("README.md");
    expect(asked.length).toBeGreaterThan(1);
    const [first, ...later] = asked;
    expect(first!.status).toBe(200);
    for (const request of later) {
      expect(request.status).toBe(304);
      expect(request.headers["if-none-match"]).toBeTruthy();
    }
  });

  it("answers without rules for a person whose GitHub is not connected, and after the token was revoked", async () => {
    const { server, owner, projectId, github } = world;
    await setRules("architect", "README.md");
    const chat = await conversation(["architect"]);
    const member = await registerUser(server);
    expect((await addMember(server, owner.access_token, projectId, member, "maintainer")).status).toBe(200);
    const asked = contentsRequests("README.md").length;
    world.fake.enqueue({ text: "No rules for you." });
    const posted = await server.api("POST", `/conversations/${chat}/messages`, {
      token: member.access_token,
      body: { content: "Rules?" },
    });
    expect(posted.status, JSON.stringify(posted.body)).toBe(200);
    await server.deps.engine.replies.idle();
    expect(systemOf(world.fake.requests.at(-1)!)).not.toContain("## Project rules");
    // No credentials reach the repository as the member: GitHub was not asked.
    expect(contentsRequests("README.md")).toHaveLength(asked);

    const token = github.apiRequests().at(-1)!.headers.authorization!.split(" ")[1]!;
    github.revokeToken(token);
    const [revoked] = await round(chat, "Rules after the revocation?", 1);
    expect(systemOf(revoked!)).not.toContain("## Project rules");
    expect(contentsRequests("README.md").at(-1)!.status).toBe(401);
    // The owner is told to reconnect, as after any other refused call.
    const connection = await server.deps.db.query.githubConnections.findFirst({
      where: (c, { eq }) => eq(c.userId, owner.user.id),
    });
    expect(connection?.tokenInvalidAt).toBeInstanceOf(Date);
  });
});

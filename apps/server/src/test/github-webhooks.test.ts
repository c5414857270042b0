// GitHub webhooks end to end: real example payloads from @octokit/webhooks-examples, signed the way GitHub
// signs them, sent to the real server over HTTP; the rows they change are read back from its libSQL file.
import { type ChildProcess, spawn } from "node:child_process";
import { randomUUID } from "node:crypto";
import { mkdtemp, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import path from "node:path";
import { fileURLToPath } from "node:url";
import { createDatabase, type Database, schema } from "@crewdeck/db";
import { sign } from "@octokit/webhooks-methods";
import { and, eq } from "drizzle-orm";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { deliver, example, linkRepository, type Payload, SECRET } from "./github-deliveries";
import { registerUser, startTestServer, type TestServer, type TestUser } from "./harness";
import { until } from "./live-events";

const deliveryRow = (db: Database, deliveryId: string) =>
  db.query.webhookDeliveries.findFirst({ where: eq(schema.webhookDeliveries.deliveryId, deliveryId) });

/** Waits until the delivery has left `received`, and returns it. */
const settled = (db: Database, deliveryId: string) =>
  until(`delivery ${deliveryId} processed`, async () => {
    const row = await deliveryRow(db, deliveryId);
    return row && row.status !== "received" ? row : undefined;
  });

describe("GitHub webhooks", () => {
  let server: TestServer;
  let db: Database;
  let admin: TestUser;
  let member: TestUser;
  let projectId: string;
  let repositoryId: string;

  beforeAll(async () => {
    server = await startTestServer({ GITHUB_WEBHOOK_SECRET: SECRET });
    db = server.deps.db;
    admin = await registerUser(server, "hookadmin"); // the first account is the site admin
    member = await registerUser(server, "hookmember");
    const project = await server.api("POST", "/projects", {
      token: member.access_token,
      body: { name: "Hooks" },
    });
    expect(project.status).toBe(200);
    projectId = project.body.id;
    repositoryId = (await linkRepository(db, projectId)).id;
  });
  afterAll(async () => {
    await server.stop();
  });

  it("stores an opened issue once, however often the same delivery arrives", async () => {
    const payload = example("issues", "opened");
    const first = await deliver(server.url, "issues", payload);
    expect(first.status).toBe(202);
    expect(first.body).toEqual({ received: true, deliveryId: first.deliveryId, duplicate: false });
    const processed = await settled(db, first.deliveryId);
    expect(processed).toMatchObject({ status: "processed", event: "issues", action: "opened", error: null });

    const issue = await db.query.githubIssues.findFirst({
      where: and(eq(schema.githubIssues.repositoryId, repositoryId), eq(schema.githubIssues.number, 1)),
    });
    expect(issue).toMatchObject({
      projectId,
      number: payload.issue.number,
      title: payload.issue.title,
      state: "open",
      labels: ["bug"],
      author: "Codertocat",
      htmlUrl: payload.issue.html_url,
    });

    // Were the redelivery processed again, it would write the title back.
    await db
      .update(schema.githubIssues)
      .set({ title: "changed here" })
      .where(eq(schema.githubIssues.id, issue!.id));
    const again = await deliver(server.url, "issues", payload, { deliveryId: first.deliveryId });
    expect(again.status).toBe(202);
    expect(again.body.duplicate).toBe(true);
    await new Promise((r) => setTimeout(r, 200));
    const rows = await db.query.webhookDeliveries.findMany({
      where: eq(schema.webhookDeliveries.deliveryId, first.deliveryId),
    });
    expect(rows).toHaveLength(1);
    expect(rows[0]?.processedAt?.getTime()).toBe(processed.processedAt?.getTime());
    const after = await db.query.githubIssues.findFirst({ where: eq(schema.githubIssues.id, issue!.id) });
    expect(after?.title).toBe("changed here");

    // Open screens of the project were told.
    const events = await db.query.events.findMany({
      where: and(eq(schema.events.type, "github_update"), eq(schema.events.projectId, projectId)),
    });
    expect(events.map((e) => e.payload)).toContainEqual({
      projectId,
      kind: "issue",
      id: issue!.id,
      number: 1,
      action: "opened",
    });
  });

  it("closes an issue on `closed`, and ignores a delivery older than what is stored", async () => {
    const closed = example("issues", "opened");
    closed.action = "closed";
    closed.issue.state = "closed";
    closed.issue.closed_at = "2030-01-01T00:00:00Z";
    closed.issue.updated_at = "2030-01-01T00:00:00Z";
    await settled(db, (await deliver(server.url, "issues", closed)).deliveryId);
    const stale = example("issues", "reopened");
    stale.issue.updated_at = "2019-01-01T00:00:00Z";
    await settled(db, (await deliver(server.url, "issues", stale)).deliveryId);
    const issue = await db.query.githubIssues.findFirst({
      where: and(eq(schema.githubIssues.repositoryId, repositoryId), eq(schema.githubIssues.number, 1)),
    });
    expect(issue?.state).toBe("closed");
  });

  it("tracks a pull request from opened through failing checks to merged", async () => {
    const opened = example("pull_request", "opened");
    const sha = opened.pull_request.head.sha as string;
    expect((await settled(db, (await deliver(server.url, "pull_request", opened)).deliveryId)).status).toBe(
      "processed",
    );
    const pr = await db.query.pullRequests.findFirst({
      where: and(eq(schema.pullRequests.repositoryId, repositoryId), eq(schema.pullRequests.number, 2)),
    });
    expect(pr).toMatchObject({
      projectId,
      state: "open",
      headSha: sha,
      headBranch: "changes",
      baseBranch: "master",
      title: opened.pull_request.title,
      checksStatus: null,
    });

    const queued = example("check_run", "created");
    expect(queued.check_run.head_sha).toBe(sha);
    await settled(db, (await deliver(server.url, "check_run", queued)).deliveryId);
    const pending = await db.query.pullRequests.findFirst({ where: eq(schema.pullRequests.id, pr!.id) });
    expect(pending?.checksStatus).toBe("pending");

    const failed = example("check_run", "completed", (p) => p.check_run.conclusion === "failure");
    await settled(db, (await deliver(server.url, "check_run", failed)).deliveryId);
    const failing = await db.query.pullRequests.findFirst({ where: eq(schema.pullRequests.id, pr!.id) });
    expect(failing?.checksStatus).toBe("failure");
    // Another run of the same commit passing does not hide the failure.
    const passed = example("check_run", "completed", (p) => p.check_run.conclusion === "success");
    await settled(db, (await deliver(server.url, "check_run", passed)).deliveryId);
    expect(
      (await db.query.pullRequests.findFirst({ where: eq(schema.pullRequests.id, pr!.id) }))?.checksStatus,
    ).toBe("failure");

    // A new head commit: the old checks no longer say anything; a completed suite of it succeeds.
    const synchronize = example("pull_request", "synchronize");
    synchronize.pull_request.head.sha = "1111111111111111111111111111111111111111";
    synchronize.pull_request.updated_at = "2030-01-02T00:00:00Z";
    await settled(db, (await deliver(server.url, "pull_request", synchronize)).deliveryId);
    const moved = await db.query.pullRequests.findFirst({ where: eq(schema.pullRequests.id, pr!.id) });
    expect(moved).toMatchObject({ headSha: "1111111111111111111111111111111111111111", checksStatus: null });
    const suite = example("check_suite", "completed");
    suite.check_suite.head_sha = "1111111111111111111111111111111111111111";
    await settled(db, (await deliver(server.url, "check_suite", suite)).deliveryId);
    expect(
      (await db.query.pullRequests.findFirst({ where: eq(schema.pullRequests.id, pr!.id) }))?.checksStatus,
    ).toBe("success");

    const merged = example("pull_request", "closed");
    merged.pull_request.merged = true;
    merged.pull_request.merged_at = "2030-01-03T00:00:00Z";
    merged.pull_request.closed_at = "2030-01-03T00:00:00Z";
    merged.pull_request.updated_at = "2030-01-03T00:00:00Z";
    merged.pull_request.head.sha = "1111111111111111111111111111111111111111";
    await settled(db, (await deliver(server.url, "pull_request", merged)).deliveryId);
    const done = await db.query.pullRequests.findFirst({ where: eq(schema.pullRequests.id, pr!.id) });
    expect(done).toMatchObject({ state: "merged", checksStatus: "success" });
    expect(done?.mergedAt?.toISOString()).toBe("2030-01-03T00:00:00.000Z");
  });

  it("keeps a pull request's task link, and posts requested changes into the task's conversation once", async () => {
    const task = await server.api("POST", "/tasks", {
      token: member.access_token,
      body: { title: "Change the README", projectId },
    });
    expect(task.status).toBe(200);
    const pr = await db.query.pullRequests.findFirst({
      where: and(eq(schema.pullRequests.repositoryId, repositoryId), eq(schema.pullRequests.number, 2)),
    });
    await db
      .update(schema.pullRequests)
      .set({ taskId: task.body.id })
      .where(eq(schema.pullRequests.id, pr!.id));

    const review = example("pull_request_review", "submitted");
    review.review.state = "changes_requested";
    review.review.body = "Please add a test for the empty README.";
    const first = await deliver(server.url, "pull_request_review", review);
    expect((await settled(db, first.deliveryId)).status).toBe("processed");
    // The same review in another delivery (GitHub's redelivery gets a new id when asked by hand).
    await settled(db, (await deliver(server.url, "pull_request_review", review)).deliveryId);

    const messages = await server.api("GET", `/conversations/${task.body.conversationId}/messages`, {
      token: member.access_token,
    });
    expect(messages.status).toBe(200);
    const feedback = messages.body.items.filter((m: Payload) => m.content.includes("Please add a test"));
    expect(feedback).toHaveLength(1);
    expect(feedback[0]).toMatchObject({ authorType: "system" });
    expect(feedback[0].content).toContain("Changes requested on pull request #2 by @Codertocat");
    const stored = await db.query.pullRequests.findFirst({ where: eq(schema.pullRequests.id, pr!.id) });
    expect(stored?.taskId).toBe(task.body.id);

    // A comment-only review is recorded (the pull request refreshes) but posts nothing.
    const comment = example("pull_request_review", "submitted");
    await settled(db, (await deliver(server.url, "pull_request_review", comment)).deliveryId);
    const after = await server.api("GET", `/conversations/${task.body.conversationId}/messages`, {
      token: member.access_token,
    });
    expect(after.body.items.filter((m: Payload) => m.authorType === "system")).toHaveLength(1);
  });

  it("answers ping, ignores events it does not use and repositories no project links, and records failures", async () => {
    expect((await settled(db, (await deliver(server.url, "ping", example("ping"))).deliveryId)).status).toBe(
      "processed",
    );
    expect(
      (await settled(db, (await deliver(server.url, "star", { action: "created" })).deliveryId)).status,
    ).toBe("ignored");
    const elsewhere = example("issues", "transferred");
    expect((await settled(db, (await deliver(server.url, "issues", elsewhere)).deliveryId)).status).toBe(
      "ignored",
    );
    const installation = example("installation", "created");
    expect(
      (await settled(db, (await deliver(server.url, "installation", installation)).deliveryId)).status,
    ).toBe("processed");
    const push = example("push", undefined, (p) => p.ref === "refs/heads/master");
    expect((await settled(db, (await deliver(server.url, "push", push)).deliveryId)).status).toBe(
      "processed",
    );

    // An issue without a title cannot be stored: the delivery fails with the reason, and the worker goes on.
    const broken = example("issues", "opened");
    broken.issue.number = 99;
    delete broken.issue.title;
    const failed = await settled(db, (await deliver(server.url, "issues", broken)).deliveryId);
    expect(failed.status).toBe("failed");
    expect(failed.error).toMatch(/.+/);
    expect((await settled(db, (await deliver(server.url, "ping", example("ping"))).deliveryId)).status).toBe(
      "processed",
    );
  });

  it("refuses a wrong or missing signature with 401 and stores nothing", async () => {
    const payload = example("issues", "opened");
    const wrong = await deliver(server.url, "issues", payload, { secret: "not-the-secret" });
    expect(wrong.status).toBe(401);
    expect(wrong.body.error).toMatchObject({ code: "UNAUTHORIZED" });
    const missing = await deliver(server.url, "issues", payload, { signature: null });
    expect(missing.status).toBe(401);
    const garbled = await deliver(server.url, "issues", payload, { signature: "sha256=zz" });
    expect(garbled.status).toBe(401);
    // The signature of another body.
    const other = await deliver(server.url, "issues", payload, {
      signature: await sign(SECRET, JSON.stringify({ ...payload, action: "closed" })),
    });
    expect(other.status).toBe(401);
    for (const refused of [wrong, missing, garbled, other]) {
      expect(await deliveryRow(db, refused.deliveryId)).toBeUndefined();
    }
  });

  it("refuses signed deliveries without event or delivery headers, or with a body that is not a payload", async () => {
    const body = "not json";
    const res = await fetch(`${server.url}/api/v1/webhooks/github`, {
      method: "POST",
      headers: {
        "content-type": "application/json",
        "x-github-event": "issues",
        "x-github-delivery": randomUUID(),
        "x-hub-signature-256": await sign(SECRET, body),
      },
      body,
    });
    expect(res.status).toBe(400);
    const json = JSON.stringify({ zen: "Keep it logically awesome." });
    const headless = await fetch(`${server.url}/api/v1/webhooks/github`, {
      method: "POST",
      headers: { "content-type": "application/json", "x-hub-signature-256": await sign(SECRET, json) },
      body: json,
    });
    expect(headless.status).toBe(400);
    expect(((await headless.json()) as Payload).error.code).toBe("VALIDATION_ERROR");
  });

  it("lists deliveries to administrators only, newest first and without payloads", async () => {
    const res = await server.api("GET", "/admin/webhook-deliveries?limit=5", { token: admin.access_token });
    expect(res.status).toBe(200);
    expect(res.body.items).toHaveLength(5);
    expect(res.body.total).toBeGreaterThan(5);
    const times = res.body.items.map((d: Payload) => d.receivedAt);
    expect([...times].sort().reverse()).toEqual(times);
    for (const item of res.body.items) {
      expect(Object.keys(item).sort()).toEqual(
        ["action", "deliveryId", "error", "event", "id", "processedAt", "receivedAt", "status"].sort(),
      );
    }
    const page2 = await server.api("GET", "/admin/webhook-deliveries?limit=5&page=2", {
      token: admin.access_token,
    });
    expect(page2.body.page).toBe(2);
    expect(page2.body.items[0].id).not.toBe(res.body.items[0].id);

    const forbidden = await server.api("GET", "/admin/webhook-deliveries", { token: member.access_token });
    expect(forbidden.status).toBe(403);
    expect((await server.api("GET", "/admin/webhook-deliveries")).status).toBe(401);
  });
});

describe("GitHub webhooks without a configured secret", () => {
  let server: TestServer;
  beforeAll(async () => {
    server = await startTestServer();
  });
  afterAll(async () => {
    await server.stop();
  });

  it("refuses every delivery with 401 and a message that says what to configure", async () => {
    const res = await deliver(server.url, "ping", example("ping"));
    expect(res.status).toBe(401);
    expect(res.body.error.code).toBe("UNAUTHORIZED");
    expect(res.body.error.message).toMatch(/no GitHub webhook secret configured/);
    expect(await deliveryRow(server.deps.db, res.deliveryId)).toBeUndefined();
  });
});

// --- durability: a delivery answered just before SIGKILL is processed after the restart ----------------------

const SERVER_DIR = fileURLToPath(new URL("../..", import.meta.url));
type Child = { process: ChildProcess; url: string };

function startChild(env: Record<string, string>): Promise<Child> {
  const child = spawn(process.execPath, ["--import", "tsx", "src/index.ts"], {
    cwd: SERVER_DIR,
    env: { ...process.env, NODE_ENV: "test", HOST: "127.0.0.1", PORT: "0", LOG_LEVEL: "info", ...env },
    stdio: ["ignore", "pipe", "pipe"],
  });
  return new Promise((resolve, reject) => {
    let output = "";
    child.stdout?.on("data", (chunk: Buffer) => {
      output += chunk.toString();
      const match = output.match(/listening on (http:\/\/[^\s]+)/);
      if (match?.[1]) resolve({ process: child, url: match[1] });
    });
    child.stderr?.on("data", (chunk: Buffer) => {
      output += chunk.toString();
    });
    child.once("exit", (code) => reject(new Error(`server exited (${code}) before listening:\n${output}`)));
  });
}

const killed = (child: Child) =>
  new Promise<void>((resolve) => {
    if (child.process.exitCode !== null || child.process.signalCode !== null) return resolve();
    child.process.once("exit", () => resolve());
    child.process.kill("SIGKILL");
  });

describe("a webhook delivery survives SIGKILL", () => {
  let dataDir: string;
  const children: Child[] = [];
  beforeAll(async () => {
    dataDir = await mkdtemp(path.join(tmpdir(), "crewdeck-webhooks-"));
  });
  afterAll(async () => {
    for (const child of children) await killed(child);
    await rm(dataDir, { recursive: true, force: true });
  });

  it("is processed by the next process when the one that answered it died first", async () => {
    const env = { DATA_DIR: dataDir, GITHUB_WEBHOOK_SECRET: SECRET };
    // This process answers deliveries but would process them only after a minute: it is killed before.
    const first = await startChild({ ...env, GITHUB_WEBHOOK_PROCESS_DELAY_MS: "60000" });
    children.push(first);
    const register = await fetch(`${first.url}/api/v1/auth/register`, {
      method: "POST",
      headers: { "content-type": "application/json" },
      body: JSON.stringify({
        email: "crash@example.test",
        username: "crash",
        password: "correct horse battery",
      }),
    });
    const token = ((await register.json()) as { access_token: string }).access_token;
    const project = await fetch(`${first.url}/api/v1/projects`, {
      method: "POST",
      headers: { "content-type": "application/json", authorization: `Bearer ${token}` },
      body: JSON.stringify({ name: "Crash" }),
    });
    const projectId = ((await project.json()) as { id: string }).id;
    const db = await createDatabase({ url: `file:${path.join(dataDir, "crewdeck.db")}` });
    try {
      const repository = await linkRepository(db, projectId);
      const sent = await deliver(first.url, "issues", example("issues", "opened"));
      expect(sent.status).toBe(202);
      expect((await deliveryRow(db, sent.deliveryId))?.status).toBe("received");
      await killed(first);

      const second = await startChild(env);
      children.push(second);
      const row = await settled(db, sent.deliveryId);
      expect(row.status).toBe("processed");
      const issues = await db.query.githubIssues.findMany({
        where: eq(schema.githubIssues.repositoryId, repository.id),
      });
      expect(issues.map((i) => i.number)).toEqual([1]);
      // The admin list of the restarted server shows it processed.
      const list = await fetch(`${second.url}/api/v1/admin/webhook-deliveries`, {
        headers: { authorization: `Bearer ${token}` },
      });
      const body = (await list.json()) as { items: { deliveryId: string; status: string }[] };
      expect(body.items.find((d) => d.deliveryId === sent.deliveryId)?.status).toBe("processed");
      await killed(second);
    } finally {
      db.$client.close();
    }
  }, 60_000);
});

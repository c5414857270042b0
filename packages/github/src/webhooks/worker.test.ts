// The webhook worker against a real database and the fake GitHub: deliveries drained in order with their
// effects, and checks read live from GitHub when the app reaches the repository.
import { schema } from "@crewdeck/db";
import { eq } from "drizzle-orm";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { syncProjectGitHub } from "../pull-requests";
import { createGitHubTestWorld, type GitHubTestWorld } from "../testing";
import { storeWebhookDelivery } from "./deliveries";
import type { GitHubUpdate, WebhookEffects } from "./types";
import { createWebhookWorker } from "./worker";

const REPO = "ada-gh/website";

describe("the webhook worker", () => {
  let w: GitHubTestWorld;
  let userId: string;
  let projectId: string;
  const updates: GitHubUpdate[] = [];
  const effects: WebhookEffects = {
    githubUpdated: async (update) => {
      updates.push(update);
    },
    messagePosted: async () => {},
  };
  beforeEach(async () => {
    updates.length = 0;
    w = await createGitHubTestWorld();
    w.github.addUser("ada-gh");
    w.github.addRepo(REPO);
    userId = (await w.user("ada")).id;
    await w.connect(userId, "ada-gh");
    projectId = (await w.project("Website", userId)).id;
    // Linked by name only (no GitHub id yet): deliveries still find it.
    await w.projectRepository(projectId, REPO);
  });
  afterEach(async () => {
    await w.close();
  });

  it("reads the commit's checks from GitHub as the app, over what one delivery says", async () => {
    const pull = w.github.addPull(REPO, { title: "Red", head: "red" });
    const sha = pull.pull!.headSha;
    w.github.addCheckRun(REPO, sha, { name: "test", status: "completed", conclusion: "success" });
    await syncProjectGitHub(w.deps, { projectId, userId });
    w.github.addStatus(REPO, sha, { context: "ci/lint", state: "failure" });
    await w.installApp([REPO]);

    await storeWebhookDelivery(w.db, {
      deliveryId: "d-1",
      event: "check_run",
      payload: {
        action: "completed",
        check_run: { head_sha: sha, status: "completed", conclusion: "success" },
        repository: { id: 424242, full_name: REPO.toUpperCase() },
      },
    });
    const worker = createWebhookWorker(w.deps, effects);
    worker.wake();
    await worker.idle();
    await worker.close();

    const [row] = await w.db.select().from(schema.pullRequests);
    expect(row?.checksStatus).toBe("failure");
    expect(updates).toEqual([
      { projectId, kind: "pull_request", id: row!.id, number: row!.number, action: "completed" },
    ]);
    const delivery = await w.db.query.webhookDeliveries.findFirst({
      where: eq(schema.webhookDeliveries.deliveryId, "d-1"),
    });
    expect(delivery).toMatchObject({ status: "processed", error: null });
  });

  it("drains what was stored before it started, oldest first, and a failure does not stop it", async () => {
    const issue = (number: number, title: string | undefined) => ({
      action: "opened",
      issue: {
        id: number,
        number,
        title,
        state: "open",
        html_url: `https://github.test/${number}`,
        labels: [],
      },
      repository: { id: 1, full_name: REPO },
    });
    await storeWebhookDelivery(w.db, { deliveryId: "a", event: "issues", payload: issue(1, "First") });
    await storeWebhookDelivery(w.db, { deliveryId: "b", event: "issues", payload: issue(2, undefined) });
    await storeWebhookDelivery(w.db, { deliveryId: "c", event: "issues", payload: issue(3, "Third") });
    const worker = createWebhookWorker(w.deps, effects);
    worker.wake();
    await worker.idle();
    await worker.close();
    const deliveries = await w.db.select().from(schema.webhookDeliveries);
    expect(Object.fromEntries(deliveries.map((d) => [d.deliveryId, d.status]))).toEqual({
      a: "processed",
      b: "failed",
      c: "processed",
    });
    expect(updates.map((u) => u.number)).toEqual([1, 3]);
  });
});

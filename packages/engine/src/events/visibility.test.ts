// Who may see a project's live events, as thousands of open streams ask it: one read of the project's
// members answers every stream for a period, and an answer past half its life is read again in the
// background, so a member removed stops seeing events within the period while no stream waits for it.
import { schema } from "@crewdeck/db";
import { and, eq } from "drizzle-orm";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { createTestWorld, type TestWorld } from "../testing/test-world";
import type { AnyBusEvent } from "./types";
import { createEventVisibility } from "./visibility";

let world: TestWorld;

beforeEach(async () => {
  world = await createTestWorld();
});

afterEach(async () => {
  await world.close();
});

/**
 * Counts the statements that read project members, as the libSQL client runs them (underneath the
 * database's write lock, which calls the client's own `execute`).
 */
function countMemberReads(): () => number {
  const client = world.db.$client as unknown as { execute: (...args: unknown[]) => Promise<unknown> };
  const execute = (Object.getPrototypeOf(client) as typeof client).execute;
  let reads = 0;
  client.execute = function (this: unknown, ...args: unknown[]) {
    const statement = args[0] as string | { sql: string };
    const text = typeof statement === "string" ? statement : statement.sql;
    if (text.includes("project_members")) reads++;
    return execute.apply(this, args);
  };
  return () => reads;
}

const settle = () => new Promise((resolve) => setTimeout(resolve, 50));

describe("event visibility", () => {
  it("answers every stream on a project from one read of its members per period, and refreshes it in the background", async () => {
    const { website } = world.projects;
    const { maintainer, outsider } = world.users;
    let clock = 10_000;
    const reads = countMemberReads();
    const event = {
      id: "1",
      type: "message",
      scope: { userId: null, projectId: website.id, conversationId: "c", taskId: null },
      payload: {},
      createdAt: new Date().toISOString(),
    } as unknown as AnyBusEvent;
    const viewers = Array.from({ length: 200 }, (_, i) => (i % 2 === 0 ? maintainer : outsider));
    const streams = viewers.map((user) =>
      createEventVisibility(world.db, { userId: user.id, isAdmin: false, cacheMs: 2_000, now: () => clock }),
    );
    const expected = viewers.map((user) => user === maintainer);

    expect(await Promise.all(streams.map((stream) => stream.canSee(event)))).toEqual(expected);
    expect(reads()).toBe(1);

    // Within the period every stream is answered at once, from that read.
    clock += 500;
    expect(streams.map((stream) => stream.canSee(event))).toEqual(expected);
    expect(reads()).toBe(1);

    // Past half its life: still answered at once, and read again once, in the background.
    await world.db
      .delete(schema.projectMembers)
      .where(
        and(eq(schema.projectMembers.projectId, website.id), eq(schema.projectMembers.userId, maintainer.id)),
      );
    clock += 1_000;
    expect(streams.map((stream) => stream.canSee(event))).toEqual(expected);
    await settle();
    expect(reads()).toBe(2);
    // The member removed no longer sees the project's events, well within the period.
    expect(streams.map((stream) => stream.canSee(event))).toEqual(viewers.map(() => false));

    // Once no answer is young enough, the next stream to ask waits for a fresh one (and the others share it).
    clock += 5_000;
    const answers = streams.map((stream) => stream.canSee(event));
    expect(answers.every((answer) => answer instanceof Promise)).toBe(true);
    expect(await Promise.all(answers)).toEqual(viewers.map(() => false));
    expect(reads()).toBe(3);
  });
});

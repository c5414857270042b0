// A Stop that lands after a round looked at its mark but before the next agent's call was running (so the
// abort found nothing to abort) still stops that reply, as soon as its first words arrive.
import { schema } from "@crewdeck/db";
import { eq, sql } from "drizzle-orm";
import { afterEach, beforeEach, expect, it } from "vitest";
import { createRunWorld, type RunWorld } from "../testing/run-world";
import { planReplies, replyAs } from "./reply";

let world: RunWorld;
beforeEach(async () => {
  world = await createRunWorld();
});
afterEach(async () => {
  await world.close();
});

it("stops a reply whose call started just after a Stop it did not see", async () => {
  const { db, engine } = world;
  const { conversation, asked } = await world.chatAsked("Go");
  const plan = await planReplies(engine, {
    conversation,
    userId: world.users.owner.id,
    pending: null,
    agentIds: [],
  });
  const [reply] = plan.replies;
  // The Stop: marked while no call of the conversation runs, so its abort reached nothing.
  await db
    .update(schema.conversations)
    .set({ replyStops: sql`${schema.conversations.replyStops} + 1` })
    .where(eq(schema.conversations.id, conversation.id));

  const gate = world.fake.hold();
  world.fake.enqueue({ text: ["First words ", "never said"] });
  const answered = replyAs(engine, plan, reply!.agent, reply!.reservationId, asked.id, undefined);
  await gate.reached;
  // The stream is held after its first chunk: only the stop can end the reply now.
  const result = await Promise.race([
    answered,
    new Promise((resolve) => setTimeout(() => resolve("still streaming"), 3_000)),
  ]);
  gate.release();
  await answered;

  expect(result).toEqual({ stopped: true });
  const [message] = await db.query.messages.findMany({
    where: eq(schema.messages.replyToId, asked.id),
  });
  expect(message).toMatchObject({ status: "cancelled", content: "First words " });
  const held = await db.query.budgetReservations.findMany({
    where: eq(schema.budgetReservations.status, "held"),
  });
  expect(held).toEqual([]);
});

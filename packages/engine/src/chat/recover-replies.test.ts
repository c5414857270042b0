// Chat replies a stopped process left streaming: each is marked failed with what it had streamed, and the
// person's message is answered again once; a retry that was itself cut off is only marked, never retried.
import { schema } from "@crewdeck/db";
import { eq } from "drizzle-orm";
import { afterEach, beforeEach, expect, it } from "vitest";
import { createRunWorld, type RunWorld } from "../testing/run-world";
import { INTERRUPTED_REPLY_TEXT, recoverChatReplies } from "./recover-replies";

let world: RunWorld;
beforeEach(async () => {
  world = await createRunWorld();
});
afterEach(async () => {
  await world.close();
});

async function cutOffReply(metadata: Record<string, unknown> = {}) {
  const { db } = world;
  const { conversation, asked } = await world.chatAsked("Ship?");
  const [reply] = await db
    .insert(schema.messages)
    .values({
      conversationId: conversation.id,
      authorType: "agent",
      agentId: world.agents.ada.id,
      status: "streaming",
      replyToId: asked.id,
      metadata,
    })
    .returning();
  return { conversation, asked, reply: reply! };
}

const messagesOf = (conversationId: string) =>
  world.db.query.messages.findMany({ where: eq(schema.messages.conversationId, conversationId) });

it("answers a cut-off reply's message again, once, and only marks a cut-off retry", async () => {
  const original = await cutOffReply();
  const retry = await cutOffReply({ retryOf: "an-earlier-reply" });
  world.fake.enqueue({ text: "Yes, today." });

  expect(await recoverChatReplies(world.engine)).toEqual({ interrupted: 2, retried: 1 });
  await world.engine.replies.idle();
  expect(world.modelCalls()).toHaveLength(1);

  const first = await messagesOf(original.conversation.id);
  expect(first.find((m) => m.id === original.reply.id)).toMatchObject({
    status: "error",
    content: INTERRUPTED_REPLY_TEXT,
    metadata: { interrupted: true },
  });
  expect(first.filter((m) => m.metadata.retryOf === original.reply.id)).toEqual([
    expect.objectContaining({ status: "complete", content: "Yes, today.", replyToId: original.asked.id }),
  ]);

  const second = await messagesOf(retry.conversation.id);
  expect(second.map((m) => m.status).sort()).toEqual(["complete", "error"]);
  // Run again (another restart): nothing left to recover, nothing asked twice.
  expect(await recoverChatReplies(world.engine)).toEqual({ interrupted: 0, retried: 0 });
  expect(world.modelCalls()).toHaveLength(1);
});

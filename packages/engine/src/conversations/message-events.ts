// The live events of a message (§4): the whole message (`message`) each time it is stored or changes
// state, and the text an agent streams into it (`message_delta`) as the provider sends it. Runs, chat
// replies and the API's posts all announce messages through here, so the event reads the same from each.
import { type Executor, schema } from "@crewdeck/db";
import { and, eq } from "drizzle-orm";
import type { EventBus } from "../events/bus";
import type { EventPublisher } from "../events/outbox";
import type { EventScope } from "../events/types";
import { loadMessageDtos, type MessageDto } from "./message-dto";

export type PublishMessageOptions = {
  /**
   * Told of a failed publish instead of throwing it, for callers whose message is already stored and
   * whose work must go on whatever the bus does (a person's post that was saved).
   */
  onPublishError?: ((error: unknown) => void) | undefined;
};

/**
 * Publishes the stored message as the contract serves it and returns it; null when the message does not
 * exist (nothing is published then). Read after the writer's transaction, so the event shows what is stored;
 * or inside it, with the transaction's outbox as `bus` (`transactionWithEvents`), so the event is committed
 * with the message.
 */
export async function publishMessage(
  deps: { db: Executor; bus: EventPublisher },
  scope: EventScope,
  messageId: string,
  options: PublishMessageOptions = {},
): Promise<MessageDto | null> {
  const [dto] = await loadMessageDtos(deps.db, [messageId]);
  if (!dto) return null;
  try {
    await deps.bus.publish({ type: "message", scope, payload: dto });
  } catch (error) {
    if (!options.onPublishError) throw error;
    options.onPublishError(error);
  }
  return dto;
}

export type DeltaPublisher = {
  /** Hands one streamed piece of text to the bus; returns at once, so the provider's stream is never held up. */
  publish: (delta: string) => void;
  /**
   * Resolves once every delta is with the bus, which is at once: the bus numbers events as they are
   * handed over, so anything published after this (the message's final state) follows the deltas, without
   * waiting for their rows to be written.
   */
  flushed: () => Promise<void>;
};

/** How often the text streamed so far is written into the message row while it streams (`checkpoint`). */
export const STREAM_CHECKPOINT_MS = 250;

/**
 * Publishes an agent's streamed text as `message_delta` events in the order it arrived. The bus numbers
 * each event as it is handed over, so nothing here waits for the one before: live subscribers get each
 * piece at once, and the bus stores a message's pieces together (see `deltaWindowMs`). An event published
 * after these (the message's final state) comes after them. A delta the bus refuses is dropped; the final
 * `message` event carries the whole text. With no message to stream into (a task without a conversation),
 * deltas go nowhere.
 */
export function createDeltaPublisher(
  bus: EventBus,
  scope: EventScope,
  target: { messageId: string; conversationId: string } | null,
  /**
   * Also keeps the text streamed so far in the message row (at the first piece, then at most every
   * STREAM_CHECKPOINT_MS), so a process that dies mid-reply leaves it behind whatever bus holds the deltas
   * (a Redis stream is not the database the recovery reads).
   */
  checkpoint?: { db: Executor },
): DeltaPublisher {
  let streamed = "";
  let written = "";
  let timer: NodeJS.Timeout | null = null;
  let writing: Promise<void> = Promise.resolve();
  const write = () => {
    timer = null;
    if (!target || !checkpoint || written === streamed) return;
    const text = streamed;
    const m = schema.messages;
    writing = writing
      .then(() =>
        checkpoint.db
          .update(m)
          .set({ content: text })
          .where(and(eq(m.id, target.messageId), eq(m.status, "streaming"))),
      )
      .then(
        () => {
          written = text;
        },
        () => {},
      );
  };
  return {
    publish(delta) {
      if (!target) return;
      const payload = { messageId: target.messageId, conversationId: target.conversationId, delta };
      bus.publish({ type: "message_delta", scope, payload }).catch(() => {});
      if (!checkpoint) return;
      const first = streamed === "";
      streamed += delta;
      if (first) write();
      else timer ??= setTimeout(write, STREAM_CHECKPOINT_MS);
    },
    flushed: async () => {
      if (timer) clearTimeout(timer);
      timer = null;
      await writing;
    },
  };
}

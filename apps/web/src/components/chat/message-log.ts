// The messages of one conversation as the screen holds them: every page seen so far, merged by id and kept
// oldest first. The API pages newest first (`before` = the oldest id held); the newest page is fetched again
// whenever a live event says something changed, so the log keeps the older pages across those refetches.

export type LoggedMessage = { id: string; createdAt: string; status?: string };

export type MessagePage<M> = { items: M[]; hasMore: boolean };

export type MessageLog<M> = {
  /** Oldest first. */
  messages: M[];
  /** Whether the server has messages older than the oldest held. */
  hasOlder: boolean;
  /** How many messages older pages have added at the top: the list's scroll anchor shifts by this much. */
  prepended: number;
};

export const emptyMessageLog = <M>(): MessageLog<M> => ({ messages: [], hasOlder: false, prepended: 0 });

/** Creation time, then id (ids are time-ordered, so they break ties the way the server does). */
export function compareMessages(a: LoggedMessage, b: LoggedMessage): number {
  if (a.createdAt !== b.createdAt) return a.createdAt < b.createdAt ? -1 : 1;
  return a.id < b.id ? -1 : a.id > b.id ? 1 : 0;
}

/**
 * A newer copy replaces an older one, except that a finished message is never put back to "streaming" by
 * a response that left the server before the stream completed.
 */
function pickVersion<M extends LoggedMessage>(held: M | undefined, incoming: M): M {
  if (held && held.status !== "streaming" && incoming.status === "streaming") return held;
  return incoming;
}

/** Both lists' messages, each id once, oldest first. */
export function mergeMessages<M extends LoggedMessage>(held: readonly M[], incoming: readonly M[]): M[] {
  const byId = new Map<string, M>();
  for (const message of held) byId.set(message.id, message);
  for (const message of incoming) byId.set(message.id, pickVersion(byId.get(message.id), message));
  return [...byId.values()].sort(compareMessages);
}

/**
 * The newest page, fetched again. When it shares no message with the log while the server has more
 * behind it, messages arrived faster than a page between two fetches: the log would have a hole in the
 * middle, so it starts over from this page instead.
 */
export function applyNewestPage<M extends LoggedMessage>(
  log: MessageLog<M>,
  page: MessagePage<M>,
): MessageLog<M> {
  if (log.messages.length === 0) {
    return { messages: mergeMessages([], page.items), hasOlder: page.hasMore, prepended: log.prepended };
  }
  const held = new Set(log.messages.map((m) => m.id));
  const overlaps = page.items.some((m) => held.has(m.id));
  if (!overlaps && page.hasMore && page.items.length > 0) {
    return { messages: mergeMessages([], page.items), hasOlder: true, prepended: 0 };
  }
  return {
    ...log,
    messages: mergeMessages(log.messages, page.items),
    hasOlder: page.hasMore ? log.hasOlder : false,
  };
}

/** A page fetched with `before` = the oldest id held. */
export function applyOlderPage<M extends LoggedMessage>(
  log: MessageLog<M>,
  page: MessagePage<M>,
): MessageLog<M> {
  const held = new Set(log.messages.map((m) => m.id));
  const added = page.items.filter((m) => !held.has(m.id)).length;
  return {
    messages: mergeMessages(log.messages, page.items),
    hasOlder: page.hasMore,
    prepended: log.prepended + added,
  };
}

/** Single messages from live events: merged where they belong, without the hole check of a page. */
export function applyLiveMessages<M extends LoggedMessage>(
  log: MessageLog<M>,
  messages: readonly M[],
): MessageLog<M> {
  return { ...log, messages: mergeMessages(log.messages, messages) };
}

/** The cursor for the next older page. */
export const oldestMessageId = (log: MessageLog<LoggedMessage>): string | undefined => log.messages[0]?.id;

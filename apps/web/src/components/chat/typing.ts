// Who is typing in a conversation, from `agent_typing` events, and how often this person tells the
// server that they are typing.

/** An agent (by agent id) or a person (by user id) who said they are typing, until `until` (ms). */
export type Typist = { key: string; name: string; until: number };
export type TypingState = readonly Typist[];

/**
 * A "typing" event is trusted this long: an agent that fails or a person who closes the tab may never send
 * the "stopped" one. Agents and browsers repeat the event well within this while typing goes on.
 */
export const TYPING_TTL_MS = 8_000;
/** A person's "I am typing" goes out at most this often. */
export const TYPING_NOTIFY_INTERVAL_MS = 3_000;

export const typistKey = (event: { agentId: string | null; userId?: string | undefined }): string | null =>
  event.agentId ? `agent:${event.agentId}` : event.userId ? `user:${event.userId}` : null;

export function applyTypingEvent(
  state: TypingState,
  event: { key: string; name: string; isTyping: boolean },
  now: number,
): TypingState {
  const others = state.filter((t) => t.key !== event.key);
  return event.isTyping
    ? [...others, { key: event.key, name: event.name, until: now + TYPING_TTL_MS }]
    : others;
}

/** Drops typists whose last event has run out; returns the same state when none did (no re-render). */
export function expireTypists(state: TypingState, now: number): TypingState {
  const live = state.filter((t) => t.until > now);
  return live.length === state.length ? state : live;
}

/** "Architect is typing…", "Architect and Developer are typing…", "Architect, Developer and 2 others…". */
export function describeTyping(names: readonly string[]): string {
  const [first, second, third] = names;
  if (!first) return "";
  if (!second) return `${first} is typing…`;
  if (!third) return `${first} and ${second} are typing…`;
  const rest = names.length - 2;
  return `${first}, ${second} and ${rest} ${rest === 1 ? "other" : "others"} are typing…`;
}

/**
 * Decides when to tell the server this person is typing: the first keystroke at once, then at most once
 * per interval while they go on, and "stopped" once when they send or clear the box.
 */
export function createTypingNotifier(
  send: (isTyping: boolean) => void,
  { intervalMs = TYPING_NOTIFY_INTERVAL_MS, now = () => Date.now() } = {},
) {
  let lastSentAt: number | null = null;
  return {
    typed() {
      const at = now();
      if (lastSentAt !== null && at - lastSentAt < intervalMs) return;
      lastSentAt = at;
      send(true);
    },
    stopped() {
      if (lastSentAt === null) return;
      lastSentAt = null;
      send(false);
    },
  };
}

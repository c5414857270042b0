// Text of agent messages still being streamed, as `message_delta` events add to it. Kept outside React
// Query so each token re-renders only the one message bubble that shows it.
type Listener = () => void;

const texts = new Map<string, string>();
const listeners = new Map<string, Set<Listener>>();

function notify(messageId: string) {
  for (const listener of listeners.get(messageId) ?? []) listener();
}

export const streamingText = {
  append(messageId: string, delta: string) {
    texts.set(messageId, (texts.get(messageId) ?? "") + delta);
    notify(messageId);
  },
  /** The stored message has the final text now. */
  finish(messageId: string) {
    if (texts.delete(messageId)) notify(messageId);
  },
  get: (messageId: string) => texts.get(messageId),
  subscribe(messageId: string, listener: Listener) {
    let set = listeners.get(messageId);
    if (!set) {
      set = new Set();
      listeners.set(messageId, set);
    }
    set.add(listener);
    return () => {
      set.delete(listener);
      if (set.size === 0) listeners.delete(messageId);
    };
  },
};

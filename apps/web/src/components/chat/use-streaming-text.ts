import { useCallback, useRef, useSyncExternalStore } from "react";
import { streamingText } from "../../live/streaming-text";

/**
 * The text to show for a message: while it streams, the tokens received so far. Between the stream's end
 * (the buffer is dropped when the final `message` event lands) and the refetched message arriving, the
 * last streamed text stays, so the bubble never blinks empty.
 */
export function useMessageText(message: { id: string; content: string; status: string }): string {
  const subscribe = useCallback(
    (onChange: () => void) => streamingText.subscribe(message.id, onChange),
    [message.id],
  );
  const live = useSyncExternalStore(subscribe, () => streamingText.get(message.id));
  const lastLive = useRef<string | undefined>(undefined);
  if (live !== undefined) lastLive.current = live;
  if (message.status !== "streaming") return message.content;
  return live ?? (message.content || lastLive.current || "");
}

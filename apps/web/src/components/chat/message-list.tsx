// The conversation's messages in a virtual list, oldest at the top: it opens at the bottom, follows new
// messages (and a reply growing as it streams) while the person is at the bottom, and loads older pages
// as they scroll up. Prepending shifts `firstItemIndex` by the number added, which keeps the view still.
import { useCallback, useRef } from "react";
import { Virtuoso, type VirtuosoHandle } from "react-virtuoso";
import { Button } from "../ui/button";
import { type MessageActions, MessageItem } from "./message-item";
import type { MessageLog } from "./message-log";
import type { ChatMessage } from "./use-conversation-messages";

/** Virtuoso's indexes must stay positive however many older messages are prepended. */
const FIRST_INDEX = 1_000_000_000;

type Context = {
  hasOlder: boolean;
  loadingOlder: boolean;
  olderError: string | null;
  loadOlder: () => void;
};

function OlderMessages({ context }: { context?: Context }) {
  if (!context) return null;
  const { hasOlder, loadingOlder, olderError, loadOlder } = context;
  if (!hasOlder)
    return <p className="py-4 text-center text-xs text-muted">This is the start of the conversation.</p>;
  return (
    <div className="flex flex-col items-center gap-1 py-3">
      {olderError && (
        <p role="alert" className="text-xs text-danger">
          Older messages could not be loaded: {olderError}
        </p>
      )}
      <Button size="sm" variant="ghost" busy={loadingOlder} onClick={loadOlder}>
        {olderError ? "Try again" : "Load older messages"}
      </Button>
    </div>
  );
}

export function MessageList({
  log,
  myUserId,
  loadOlder,
  loadingOlder,
  olderError,
  actions,
}: {
  actions?: MessageActions | undefined;
  log: MessageLog<ChatMessage>;
  myUserId: string | undefined;
  loadOlder: () => void;
  loadingOlder: boolean;
  olderError: string | null;
}) {
  const virtuoso = useRef<VirtuosoHandle>(null);
  const atBottom = useRef(true);

  // A streaming reply grows without adding an item; followOutput reacts only to new items, so keep the
  // bottom in view by hand while the person has not scrolled away from it.
  const followGrowth = useCallback(() => {
    if (atBottom.current) virtuoso.current?.autoscrollToBottom();
  }, []);

  return (
    <Virtuoso<ChatMessage, Context>
      ref={virtuoso}
      className="h-full"
      role="log"
      aria-label="Messages"
      data={log.messages}
      firstItemIndex={FIRST_INDEX - log.prepended}
      initialTopMostItemIndex={Math.max(0, log.messages.length - 1)}
      computeItemKey={(_, message) => message.id}
      followOutput={(isAtBottom) => (isAtBottom ? "smooth" : false)}
      atBottomStateChange={(value) => {
        atBottom.current = value;
      }}
      atBottomThreshold={80}
      totalListHeightChanged={followGrowth}
      startReached={() => {
        if (log.hasOlder && !olderError) loadOlder();
      }}
      increaseViewportBy={{ top: 400, bottom: 200 }}
      context={{ hasOlder: log.hasOlder, loadingOlder, olderError, loadOlder }}
      components={{ Header: OlderMessages }}
      itemContent={(_, message) => (
        <MessageItem
          message={message}
          mine={!!myUserId && message.author.id === myUserId && message.authorType === "user"}
          actions={actions}
        />
      )}
    />
  );
}

// One conversation and its messages as the chat shows them: the conversation with its newest page (one
// query, refetched when live events touch conversations), the older pages fetched as the person scrolls
// up, and messages from live events merged in as they land rather than after the refetch.
import { useQuery } from "@tanstack/react-query";
import { useCallback, useRef, useState } from "react";
import { describeError } from "../../lib/errors";
import { type RouterOutputs, useTRPC, useTRPCClient } from "../../lib/trpc";
import { useLiveEvent } from "../../live/live-events";
import {
  applyLiveMessages,
  applyNewestPage,
  applyOlderPage,
  emptyMessageLog,
  type MessageLog,
  oldestMessageId,
} from "./message-log";

export type ConversationDetail = RouterOutputs["conversations"]["get"];
export type ChatMessage = ConversationDetail["messages"][number];

const OLDER_PAGE_SIZE = 50;

export function useConversationMessages(conversationId: string) {
  const trpc = useTRPC();
  const client = useTRPCClient();
  const detail = useQuery(trpc.conversations.get.queryOptions({ conversationId }));

  // Adjusted while rendering when the query brings a new newest page (React's "state from the previous
  // render" pattern), so the first page shows in the same render that receives it.
  const [state, setState] = useState<{ log: MessageLog<ChatMessage>; seen: ConversationDetail | undefined }>(
    () => ({
      log: emptyMessageLog(),
      seen: undefined,
    }),
  );
  let log = state.log;
  if (detail.data && detail.data !== state.seen) {
    log = applyNewestPage(state.log, { items: detail.data.messages, hasMore: detail.data.hasMore });
    setState({ log, seen: detail.data });
  }

  useLiveEvent("message", (event) => {
    const message = event.payload;
    if (message.conversationId !== conversationId) return;
    setState((s) => ({ ...s, log: applyLiveMessages(s.log, [message]) }));
  });

  /** A message gone from the server (a regenerated reply), dropped from the screen at once. */
  const dropMessage = useCallback((messageId: string) => {
    setState((s) => ({
      ...s,
      log: { ...s.log, messages: s.log.messages.filter((m) => m.id !== messageId) },
    }));
  }, []);

  // Removed on another screen (or by this one, whose drop came first): gone here too, without a reload.
  useLiveEvent("message_deleted", (event) => {
    if (event.payload.conversationId === conversationId) dropMessage(event.payload.messageId);
  });

  const [loadingOlder, setLoadingOlder] = useState(false);
  const [olderError, setOlderError] = useState<string | null>(null);
  const inFlight = useRef(false);
  const logRef = useRef(log);
  logRef.current = log;

  const loadOlder = useCallback(async () => {
    const current = logRef.current;
    const before = oldestMessageId(current);
    if (inFlight.current || !current.hasOlder || !before) return;
    inFlight.current = true;
    setLoadingOlder(true);
    setOlderError(null);
    try {
      const page = await client.conversations.messages.list.query({
        conversationId,
        before,
        limit: OLDER_PAGE_SIZE,
      });
      // A log that started over meanwhile (see applyNewestPage) no longer ends where this page begins.
      setState((s) => (oldestMessageId(s.log) === before ? { ...s, log: applyOlderPage(s.log, page) } : s));
    } catch (error) {
      setOlderError(describeError(error));
    } finally {
      inFlight.current = false;
      setLoadingOlder(false);
    }
  }, [client, conversationId]);

  /** A message this screen already holds (the one just posted), shown before its live event arrives. */
  const addMessages = useCallback((messages: ChatMessage[]) => {
    setState((s) => ({ ...s, log: applyLiveMessages(s.log, messages) }));
  }, []);

  return { detail, log, loadOlder, loadingOlder, olderError, addMessages, dropMessage };
}

// Typing indicators both ways: who else is typing in this conversation, and telling the others when this
// person types.
import { useMutation } from "@tanstack/react-query";
import { useEffect, useMemo, useState } from "react";
import { useTRPC } from "../../lib/trpc";
import { useMe } from "../../lib/use-me";
import { useLiveEvent } from "../../live/live-events";
import {
  applyTypingEvent,
  createTypingNotifier,
  describeTyping,
  expireTypists,
  type TypingState,
  typistKey,
} from "./typing";

/**
 * "Architect is typing…" for this conversation, or "". `nameOf` turns an agent or user id into a name
 * (agents from the conversation, people from the authors of its messages).
 */
export function useTypingIndicator(
  conversationId: string,
  nameOf: (who: { agentId: string | null; userId?: string | undefined }) => string,
): string {
  const me = useMe();
  const [typists, setTypists] = useState<TypingState>([]);

  useLiveEvent("agent_typing", ({ payload }) => {
    if (payload.conversationId !== conversationId) return;
    if (!payload.agentId && payload.userId === me.data?.id) return;
    const key = typistKey(payload);
    if (!key) return;
    setTypists((state) =>
      applyTypingEvent(state, { key, name: nameOf(payload), isTyping: payload.isTyping }, Date.now()),
    );
  });

  // An agent's reply landing means it has stopped typing, whether or not the "stopped" event came.
  useLiveEvent("message", ({ payload }) => {
    if (payload.conversationId !== conversationId || !payload.agent || payload.status === "streaming") return;
    const key = `agent:${payload.agent.id}`;
    setTypists((state) => (state.some((t) => t.key === key) ? state.filter((t) => t.key !== key) : state));
  });

  const anyone = typists.length > 0;
  useEffect(() => {
    if (!anyone) return;
    const timer = setInterval(() => setTypists((state) => expireTypists(state, Date.now())), 1000);
    return () => clearInterval(timer);
  }, [anyone]);

  return describeTyping(typists.map((t) => t.name));
}

/** `typed()` on each keystroke, `stopped()` on send; throttled so a fast typist sends one call per ~3 s. */
export function useTypingNotifier(conversationId: string) {
  const trpc = useTRPC();
  // A lost typing signal is harmless: no toast for it.
  const typing = useMutation(trpc.conversations.typing.mutationOptions({ onError: () => {} }));
  const { mutate } = typing;
  const notifier = useMemo(
    () => createTypingNotifier((isTyping) => mutate({ conversationId, isTyping })),
    [mutate, conversationId],
  );
  // Leaving the conversation mid-sentence ends the indicator for the others.
  useEffect(() => () => notifier.stopped(), [notifier]);
  return notifier;
}

// What stands between the person and an answer, shown above the message box: agents paused in this chat,
// a completed chat (reopened here), or agents that could not be asked (the server's `error` event, sent
// when a chat's first message found no provider or hit a spending limit).
import { useMutation, useQueryClient } from "@tanstack/react-query";
import { PauseCircle, X } from "lucide-react";
import { useState } from "react";
import { useTRPC } from "../../lib/trpc";
import { useLiveEvent } from "../../live/live-events";
import { Button } from "../ui/button";
import type { ConversationDetail } from "./use-conversation-messages";

export function ConversationNotices({
  conversation,
}: {
  conversation: Pick<ConversationDetail, "id" | "status">;
}) {
  const trpc = useTRPC();
  const queryClient = useQueryClient();
  const [agentError, setAgentError] = useState<string | null>(null);

  useLiveEvent("error", (event) => {
    if ((event as { scope?: { conversationId?: string | null } }).scope?.conversationId !== conversation.id)
      return;
    setAgentError(event.payload.message);
  });

  const reopen = useMutation(
    trpc.conversations.update.mutationOptions({
      onSuccess: () => queryClient.invalidateQueries({ queryKey: trpc.conversations.pathKey() }),
    }),
  );

  return (
    <div className="flex shrink-0 flex-col gap-1 empty:hidden">
      {conversation.status === "paused" && (
        <p
          role="status"
          className="mx-3 flex items-center gap-2 rounded-md bg-warn-bg px-3 py-2 text-sm text-warn"
        >
          <PauseCircle size={16} aria-hidden /> Agents are paused in this chat. Messages are kept; no agent
          answers until it is resumed.
        </p>
      )}
      {conversation.status === "completed" && (
        <div
          role="status"
          className="mx-3 flex flex-wrap items-center gap-2 rounded-md bg-subtle px-3 py-2 text-sm"
        >
          <span className="flex-1">This chat is completed. Reopen it to write again.</span>
          <Button
            size="sm"
            busy={reopen.isPending}
            onClick={() => reopen.mutate({ conversationId: conversation.id, status: "active" })}
          >
            Reopen chat
          </Button>
        </div>
      )}
      {agentError && (
        <div
          role="alert"
          className="mx-3 flex items-start gap-2 rounded-md bg-danger-bg px-3 py-2 text-sm text-danger"
        >
          <span className="flex-1">The agents could not answer: {agentError}</span>
          <button type="button" aria-label="Dismiss" onClick={() => setAgentError(null)} className="shrink-0">
            <X size={14} aria-hidden />
          </button>
        </div>
      )}
    </div>
  );
}

// What stands between the person and an answer, shown above the message box: agents paused in this chat,
// a completed chat (reopened here), or agents that could not be asked (the server's `error` event, sent
// when a chat's first message found no provider or hit a spending limit).
import { useMutation, useQueryClient } from "@tanstack/react-query";
import { PauseCircle, X } from "lucide-react";
import { useState } from "react";
import { type RouterOutputs, useTRPC } from "../../lib/trpc";
import { useLiveEvent } from "../../live/live-events";
import { Button } from "../ui/button";
import type { ConversationDetail } from "./use-conversation-messages";

/** Who answers the message just posted, as the server decided it, or why nobody will. */
export type Answering = RouterOutputs["conversations"]["messages"]["create"]["answering"];

export function ConversationNotices({
  conversation,
  answering,
  onDismissAnswering,
}: {
  conversation: Pick<ConversationDetail, "id" | "status">;
  answering?: Answering | null;
  onDismissAnswering?: () => void;
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
      {answering && (answering.reason || answering.agents.length > 0) && (
        <div
          role="status"
          className={`mx-3 flex items-start gap-2 rounded-md px-3 py-2 text-sm ${answering.reason ? "bg-warn-bg text-warn" : "bg-subtle text-muted"}`}
        >
          <span className="flex-1">
            {answering.reason ?? `${answering.agents.map((a) => a.name).join(", ")} will answer.`}
          </span>
          <button type="button" aria-label="Dismiss" onClick={onDismissAnswering} className="shrink-0">
            <X size={14} aria-hidden />
          </button>
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

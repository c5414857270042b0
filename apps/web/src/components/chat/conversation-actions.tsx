// What a person who may write in a chat can do to it: stop its agents answering or let them again, rename
// it, and delete it with its messages (after asking).
import { useMutation, useQueryClient } from "@tanstack/react-query";
import { Pause, Play, Trash2 } from "lucide-react";
import { useNavigate } from "react-router";
import { toast } from "sonner";
import { useTRPC } from "../../lib/trpc";
import { Button } from "../ui/button";
import { ConfirmButton } from "../ui/dialog";
import { ConversationAgentsDialog } from "./conversation-agents-dialog";
import { RenameConversationDialog } from "./rename-conversation-dialog";
import type { ConversationDetail } from "./use-conversation-messages";

export function ConversationActions({
  conversation,
}: {
  conversation: Pick<ConversationDetail, "id" | "title" | "status" | "projectId" | "agents">;
}) {
  const trpc = useTRPC();
  const queryClient = useQueryClient();
  const navigate = useNavigate();
  const conversationId = conversation.id;
  const refresh = () => queryClient.invalidateQueries({ queryKey: trpc.conversations.pathKey() });

  const pause = useMutation(trpc.conversations.pause.mutationOptions({ onSuccess: refresh }));
  const resume = useMutation(trpc.conversations.resume.mutationOptions({ onSuccess: refresh }));
  const remove = useMutation(trpc.conversations.delete.mutationOptions());

  const deleteChat = async () => {
    await remove.mutateAsync({ conversationId });
    toast.success(`Chat “${conversation.title}” deleted`);
    await navigate(conversation.projectId ? `/chats?projectId=${conversation.projectId}` : "/chats", {
      replace: true,
    });
    // Only once the page has gone: while it is shown, a removed query is fetched again, and finds nothing.
    queryClient.removeQueries({ queryKey: trpc.conversations.get.queryKey({ conversationId }) });
    void queryClient.invalidateQueries({ queryKey: trpc.conversations.list.queryKey() });
    void queryClient.invalidateQueries({ queryKey: trpc.projects.pathKey() });
  };

  return (
    <div className="flex flex-wrap items-center gap-2">
      {/* A completed chat is neither: it is reopened from the notice above its message box. */}
      {conversation.status === "active" && (
        <Button
          size="sm"
          busy={pause.isPending}
          onClick={() => pause.mutate({ conversationId })}
          title="Stop the agents answering here; a reply under way stops where it is"
        >
          <Pause size={14} aria-hidden /> Pause chat
        </Button>
      )}
      {conversation.status === "paused" && (
        <Button
          size="sm"
          busy={resume.isPending}
          onClick={() => resume.mutate({ conversationId })}
          title="Let the agents answer again"
        >
          <Play size={14} aria-hidden /> Resume chat
        </Button>
      )}
      <ConversationAgentsDialog conversation={conversation} />
      <RenameConversationDialog conversationId={conversationId} title={conversation.title} />
      <ConfirmButton
        size="sm"
        title="Delete this chat?"
        description={`“${conversation.title}” and all its messages and attached files are deleted for everyone in it. This cannot be undone.`}
        confirmLabel="Delete chat"
        onConfirm={deleteChat}
      >
        <Trash2 size={14} aria-hidden /> Delete
      </ConfirmButton>
    </div>
  );
}

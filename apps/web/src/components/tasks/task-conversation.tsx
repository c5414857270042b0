// The task's conversation, where the crew reports as it works and people can answer mid-run. A task made
// through the API always has one; an older task may only be linked from the conversation's side, so the
// unified view is asked for it before saying there is none.
import { skipToken, useQuery } from "@tanstack/react-query";
import { useTRPC } from "../../lib/trpc";
import { ConversationView } from "../chat/conversation-view";
import { Empty, Failed, Loading } from "../ui/states";

export function TaskConversation({
  taskId,
  conversationId,
}: {
  taskId: string;
  conversationId: string | null;
}) {
  const trpc = useTRPC();
  const unified = useQuery(trpc.conversations.forTask.queryOptions(conversationId ? skipToken : { taskId }));
  const id = conversationId ?? unified.data?.conversations[0]?.id;

  if (id) {
    return (
      <div className="h-[70vh] min-h-96">
        <ConversationView conversationId={id} />
      </div>
    );
  }
  if (unified.isPending) return <Loading label="Loading the conversation…" />;
  if (unified.error) return <Failed error={unified.error} onRetry={() => void unified.refetch()} />;
  return <Empty title="No conversation yet">This task has no conversation to show.</Empty>;
}

// One chat, full height: its header, then the messages and the message box, which take the rest of the
// window (the message list scrolls, not the page).
import { useQuery } from "@tanstack/react-query";
import { useParams } from "react-router";
import { ConversationHeader } from "../../components/chat/conversation-header";
import { ConversationView } from "../../components/chat/conversation-view";
import { hasRole } from "../../components/projects/project-roles";
import { useProjects } from "../../components/tasks/use-task-lookups";
import { Loading } from "../../components/ui/states";
import { Unavailable } from "../../components/ui/unavailable";
import { useTRPC } from "../../lib/trpc";
import { usePageTitle } from "../../lib/use-page-title";

export default function ConversationPage() {
  const { conversationId = "" } = useParams();
  const trpc = useTRPC();
  // The same query the conversation view reads its messages from: one request serves both.
  const conversation = useQuery(trpc.conversations.get.queryOptions({ conversationId }));
  const { byId } = useProjects();
  usePageTitle(conversation.data?.title ?? "Chat");

  if (conversation.isPending) return <Loading label="Loading the chat…" />;
  if (!conversation.data) {
    return (
      <div className="mx-auto max-w-3xl p-4 sm:p-6">
        <Unavailable
          error={conversation.error}
          onRetry={() => void conversation.refetch()}
          thing="chat"
          hint="It may have been deleted, or it belongs to a project you are not a member of."
          back={{ to: "/chats", label: "Back to chats" }}
        />
      </div>
    );
  }

  const chat = conversation.data;
  const project = chat.projectId ? byId.get(chat.projectId) : undefined;
  // An unassigned chat is its creator's own; in a project, viewers read only. Unknown (still loading, or
  // not in the first page of projects) shows the actions and lets the server decide.
  const canWrite = !project || hasRole(project.role, "maintainer");

  return (
    <div className="flex h-full min-h-0 flex-col">
      <ConversationHeader conversation={chat} project={project} canWrite={canWrite} />
      <div className="min-h-0 flex-1">
        <ConversationView conversationId={conversationId} canWrite={canWrite} />
      </div>
    </div>
  );
}

// The project's latest conversations, so the way back into a discussion is one click from the project.
import { useQuery } from "@tanstack/react-query";
import { MessageSquare } from "lucide-react";
import { Link } from "react-router";
import { formatRelative } from "../../lib/format";
import { useTRPC } from "../../lib/trpc";
import { NewChatDialog } from "../chat/new-chat-dialog";
import { useProjects } from "../tasks/use-task-lookups";
import { Badge, humanStatus, statusTone } from "../ui/badge";
import { QueryState } from "../ui/states";
import { Panel } from "./panel";
import { plural } from "./project-summary";

const LIMIT = 5;

/** A project's first chat starts here, with its crew, rather than by way of the Chats page. */
export function NoChatsYet({ projectId }: { projectId: string }) {
  const { projects } = useProjects();
  return (
    <div className="flex flex-col items-start gap-3">
      <p className="text-sm text-muted">No conversations yet. Start one and the crew answers.</p>
      <NewChatDialog projects={projects} defaultProjectId={projectId} />
    </div>
  );
}

export function RecentConversations({ projectId, projectName }: { projectId: string; projectName: string }) {
  const trpc = useTRPC();
  const conversations = useQuery(trpc.conversations.project.list.queryOptions({ projectId, limit: LIMIT }));
  return (
    <Panel
      title="Recent conversations"
      actions={
        <Link
          to={`/chats?projectId=${projectId}`}
          className="text-sm text-accent underline"
          aria-label={`All chats in ${projectName}`}
        >
          All chats
        </Link>
      }
    >
      <QueryState query={conversations} loading="Loading conversations…">
        {({ items }) =>
          items.length === 0 ? (
            <NoChatsYet projectId={projectId} />
          ) : (
            <ul className="flex flex-col">
              {items.map((conversation) => (
                <li key={conversation.id}>
                  <Link
                    to={`/chats/${conversation.id}`}
                    className="flex items-center gap-2 rounded-md px-2 py-1.5 text-sm hover:bg-subtle"
                  >
                    <MessageSquare size={14} aria-hidden className="shrink-0 text-muted" />
                    <span className="min-w-0 flex-1 truncate">{conversation.title}</span>
                    {conversation.status !== "active" && (
                      <Badge tone={statusTone(conversation.status)}>{humanStatus(conversation.status)}</Badge>
                    )}
                    <span
                      className="shrink-0 text-xs text-muted"
                      title={plural(conversation.messageCount, "message")}
                    >
                      {formatRelative(conversation.lastMessageAt)}
                    </span>
                  </Link>
                </li>
              ))}
            </ul>
          )
        }
      </QueryState>
    </Panel>
  );
}

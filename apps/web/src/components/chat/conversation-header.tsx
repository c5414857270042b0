// The top of a chat: its title, where it belongs (project, task), its status, the agents in it with their
// roles, and what the person may do to it.
import { ArrowLeft, Bot, ListChecks } from "lucide-react";
import { Link } from "react-router";
import { ProjectDot } from "../projects/project-dot";
import type { ProjectSummary } from "../tasks/use-task-lookups";
import { Badge, humanStatus, statusTone } from "../ui/badge";
import { agentRoleSuffix } from "./agent-label";
import { ConversationActions } from "./conversation-actions";
import type { ConversationDetail } from "./use-conversation-messages";

const chip =
  "inline-flex items-center gap-1 rounded-full border border-border bg-surface px-2 py-0.5 text-xs";

export function ConversationHeader({
  conversation,
  project,
  canWrite,
}: {
  conversation: ConversationDetail;
  /** The chat's project from the person's project list; undefined while loading or when unlisted. */
  project: ProjectSummary | undefined;
  /** Viewers of a project read its chats but may not change them; the server refuses them anyway. */
  canWrite: boolean;
}) {
  const { agents } = conversation;
  const backTo = conversation.projectId ? `/chats?projectId=${conversation.projectId}` : "/chats";
  return (
    <header className="flex shrink-0 flex-col gap-2 border-b border-border bg-surface px-4 py-3 sm:px-6">
      <Link to={backTo} className="inline-flex w-fit items-center gap-1 text-xs text-muted hover:text-text">
        <ArrowLeft size={12} aria-hidden /> Back to chats
      </Link>
      <div className="flex flex-wrap items-start justify-between gap-x-4 gap-y-2">
        <div className="flex min-w-0 flex-col gap-1">
          <div className="flex flex-wrap items-center gap-2">
            <h1 className="min-w-0 break-words text-xl font-semibold">{conversation.title}</h1>
            <Badge tone={statusTone(conversation.status)}>{humanStatus(conversation.status)}</Badge>
          </div>
          <p className="flex flex-wrap items-center gap-x-3 gap-y-1 text-sm text-muted">
            {conversation.projectId ? (
              <Link
                to={`/projects/${conversation.projectId}`}
                className="inline-flex items-center gap-1.5 text-accent underline"
              >
                <ProjectDot colour={project?.color ?? null} className="h-2.5 w-2.5" />
                {project?.name ?? "Open the project"}
              </Link>
            ) : (
              <span>Outside projects — only you see it</span>
            )}
            {conversation.taskId && (
              <Link
                to={`/tasks/${conversation.taskId}`}
                className="inline-flex items-center gap-1 text-accent underline"
              >
                <ListChecks size={14} aria-hidden /> Open the task
              </Link>
            )}
          </p>
        </div>
        {canWrite && <ConversationActions conversation={conversation} />}
      </div>
      {agents.length === 0 ? (
        <p className="text-xs text-muted">
          No agents in this chat: nobody answers here.
          {canWrite && conversation.projectId && " Add some with “Agents”."}
        </p>
      ) : (
        <ul aria-label="Agents in this chat" className="flex flex-wrap gap-1.5">
          {agents.map((agent) => {
            const role = agentRoleSuffix(agent);
            return (
              <li key={agent.id} className={chip}>
                <Bot size={12} aria-hidden className="text-muted" />
                <span className="font-medium">{agent.name}</span>
                {role && <span className="text-muted">· {role}</span>}
              </li>
            );
          })}
        </ul>
      )}
    </header>
  );
}

// The chats as rows: title (the link), project, status, agents and when it last moved. The whole row is
// clickable, but only the title is the link, so its accessible name is the chat's title alone.
import { MessageSquare } from "lucide-react";
import { Link } from "react-router";
import { formatDateTime, formatRelative } from "../../lib/format";
import type { RouterOutputs } from "../../lib/trpc";
import { ProjectDot } from "../projects/project-dot";
import type { ProjectSummary } from "../tasks/use-task-lookups";
import { Badge, humanStatus, statusTone } from "../ui/badge";

export type ConversationSummary = RouterOutputs["conversations"]["list"]["items"][number];

const plural = (n: number, word: string) => `${n} ${word}${n === 1 ? "" : "s"}`;

function ProjectName({
  projectId,
  projects,
}: {
  projectId: string | null;
  projects: ReadonlyMap<string, ProjectSummary>;
}) {
  if (!projectId) return <span>No project</span>;
  const project = projects.get(projectId);
  return (
    <span className="inline-flex min-w-0 items-center gap-1.5">
      <ProjectDot colour={project?.color ?? null} className="h-2.5 w-2.5" />
      <span className="truncate">{project?.name ?? "A project"}</span>
    </span>
  );
}

export function ConversationRows({
  conversations,
  projects,
}: {
  conversations: readonly ConversationSummary[];
  projects: ReadonlyMap<string, ProjectSummary>;
}) {
  return (
    <ul
      aria-label="Chats"
      className="flex flex-col divide-y divide-border rounded-lg border border-border bg-surface"
    >
      {conversations.map((chat) => (
        <li key={chat.id} className="relative flex items-start gap-3 p-3 hover:bg-subtle">
          <MessageSquare size={16} aria-hidden className="mt-1 shrink-0 text-muted" />
          <div className="flex min-w-0 flex-1 flex-col gap-1">
            <div className="flex flex-wrap items-center gap-x-2 gap-y-1">
              <Link
                to={`/chats/${chat.id}`}
                className="min-w-0 break-words font-medium after:absolute after:inset-0 after:content-['']"
              >
                {chat.title}
              </Link>
              <Badge tone={statusTone(chat.status)}>{humanStatus(chat.status)}</Badge>
            </div>
            <div className="flex flex-wrap items-center gap-x-3 gap-y-1 text-xs text-muted">
              <ProjectName projectId={chat.projectId} projects={projects} />
              <span>
                {chat.agents.length === 0
                  ? "No agents"
                  : `With ${chat.agents.map((agent) => agent.name).join(", ")}`}
              </span>
              <span>{plural(chat.messageCount, "message")}</span>
            </div>
          </div>
          <time
            dateTime={chat.lastMessageAt}
            title={`Last activity ${formatDateTime(chat.lastMessageAt)}`}
            className="shrink-0 text-xs text-muted"
          >
            {formatRelative(chat.lastMessageAt)}
          </time>
        </li>
      ))}
    </ul>
  );
}

// One project on the overview: what it is, how far along, what it costs today, and the ways in.
import { ListChecks, MessageSquare } from "lucide-react";
import { Link } from "react-router";
import { formatUsd } from "../../lib/format";
import type { RouterOutputs } from "../../lib/trpc";
import { Badge } from "../ui/badge";
import { ProjectDot } from "./project-dot";
import { ProjectProgress } from "./project-progress";
import { projectStatusLabel, projectStatusTone } from "./project-status";
import { plural } from "./project-summary";

type Project = RouterOutputs["projects"]["list"]["items"][number];

const chip = "inline-flex items-center gap-1 rounded-md px-2 py-1 text-sm text-accent hover:bg-subtle";

export function ProjectCard({ project }: { project: Project }) {
  const { stats } = project;
  const headingId = `project-${project.id}`;
  return (
    <article
      aria-labelledby={headingId}
      className="flex w-full flex-col gap-3 rounded-lg border border-border bg-surface p-4"
      style={{ borderTopColor: project.color ?? undefined, borderTopWidth: 3 }}
    >
      <div className="flex items-start gap-2">
        <ProjectDot colour={project.color} className="mt-1.5" />
        <h2 id={headingId} className="min-w-0 flex-1 font-semibold">
          <Link to={`/projects/${project.id}`} className="break-words hover:underline">
            {project.name}
          </Link>
        </h2>
        <Badge tone={projectStatusTone(project.status)}>{projectStatusLabel(project.status)}</Badge>
      </div>

      <p className="line-clamp-2 min-h-10 text-sm text-muted">{project.description || "No description."}</p>

      <ProjectProgress
        progress={stats.progress}
        colour={project.color}
        done={`${stats.completedTasks}/${stats.totalTasks} tasks done`}
        label={`Progress of ${project.name}`}
      />

      <dl className="grid grid-cols-2 gap-2 text-sm">
        <div>
          <dt className="text-xs text-muted">Cost today</dt>
          <dd className="font-medium">{formatUsd(stats.todayCostUsd)}</dd>
        </div>
        <div>
          <dt className="text-xs text-muted">Active conversations</dt>
          <dd className="font-medium">{stats.activeConversations}</dd>
        </div>
      </dl>

      <div className="mt-auto flex flex-wrap items-center gap-1 border-t border-border pt-2">
        <Link to={`/tasks?projectId=${project.id}`} className={chip} aria-label={`Tasks in ${project.name}`}>
          <ListChecks size={14} aria-hidden /> Tasks
        </Link>
        <Link to={`/chats?projectId=${project.id}`} className={chip} aria-label={`Chats in ${project.name}`}>
          <MessageSquare size={14} aria-hidden /> Chats
        </Link>
        <span className="ml-auto text-xs text-muted">{plural(stats.openIssues, "open issue")}</span>
      </div>
    </article>
  );
}

// The top of a project: its name and colour, what it is for, how it is doing, the viewer's part in it,
// and the ways to its chats, tasks and settings.
import { ListChecks, MessageSquare, Settings } from "lucide-react";
import { Link } from "react-router";
import { formatUsd } from "../../lib/format";
import type { RouterOutputs } from "../../lib/trpc";
import { ProjectEmergencyButton } from "../emergency/project-emergency-button";
import { Badge } from "../ui/badge";
import { ProjectDot } from "./project-dot";
import { ProjectProgress } from "./project-progress";
import { hasRole, roleHint } from "./project-roles";
import { projectStatusLabel, projectStatusTone } from "./project-status";

type Project = RouterOutputs["projects"]["get"];

const action =
  "inline-flex h-9 items-center gap-2 rounded-md border border-border bg-surface px-3.5 text-sm font-medium hover:bg-subtle";

function Stat({ label, value }: { label: string; value: string | number }) {
  return (
    <div className="min-w-24">
      <dt className="text-xs text-muted">{label}</dt>
      <dd className="font-semibold">{value}</dd>
    </div>
  );
}

export function ProjectHeader({ project }: { project: Project }) {
  const { stats } = project;
  return (
    <header className="flex flex-col gap-4">
      <div className="flex flex-wrap items-start justify-between gap-3">
        <div className="min-w-0">
          <div className="flex flex-wrap items-center gap-2">
            <ProjectDot colour={project.color} className="h-4 w-4" />
            <h1 className="break-words text-2xl font-semibold">{project.name}</h1>
            <Badge tone={projectStatusTone(project.status)}>{projectStatusLabel(project.status)}</Badge>
          </div>
          {project.description && <p className="mt-1 max-w-3xl text-sm text-muted">{project.description}</p>}
          <p className="mt-1 text-xs text-muted">
            Your role: <span className="font-medium text-text">{project.role}</span> —{" "}
            {roleHint(project.role)}
          </p>
        </div>
        <nav aria-label="Project" className="flex flex-wrap gap-2">
          <Link
            to={`/chats?projectId=${project.id}`}
            className={action}
            aria-label={`Chats in ${project.name}`}
          >
            <MessageSquare size={16} aria-hidden /> Chats
          </Link>
          <Link
            to={`/tasks?projectId=${project.id}`}
            className={action}
            aria-label={`Tasks in ${project.name}`}
          >
            <ListChecks size={16} aria-hidden /> Tasks
          </Link>
          {project.role === "owner" && (
            <ProjectEmergencyButton projectId={project.id} projectName={project.name} />
          )}
          {hasRole(project.role, "maintainer") && (
            <Link to={`/projects/${project.id}/settings`} className={action} aria-label="Project settings">
              <Settings size={16} aria-hidden /> Settings
            </Link>
          )}
        </nav>
      </div>

      <div className="rounded-lg border border-border bg-surface p-4">
        <ProjectProgress
          className="mb-3"
          progress={stats.progress}
          colour={project.color}
          done={`${stats.completedTasks} of ${stats.totalTasks} tasks done`}
          label="Project progress"
        />
        <dl className="flex flex-wrap gap-x-8 gap-y-3">
          <Stat label="Cost today" value={formatUsd(stats.todayCostUsd)} />
          <Stat label="Total cost" value={formatUsd(project.usage.totalCostUsd)} />
          <Stat label="Active conversations" value={stats.activeConversations} />
          <Stat label="Open issues" value={stats.openIssues} />
          <Stat label="Repositories" value={project.repositories.length} />
          <Stat label="Members" value={project.members.length} />
        </dl>
      </div>
    </header>
  );
}

// A project's settings: details for maintainers; repositories, members and deletion for owners.
import { useQuery } from "@tanstack/react-query";
import { ChevronLeft } from "lucide-react";
import { Link, useParams } from "react-router";
import { DangerZone } from "../../components/projects/danger-zone";
import { MembersSection } from "../../components/projects/members-section";
import { ProjectDetailsForm } from "../../components/projects/project-details-form";
import { ProjectDot } from "../../components/projects/project-dot";
import { hasRole } from "../../components/projects/project-roles";
import { RepositoriesSection } from "../../components/projects/repositories-section";
import { Loading } from "../../components/ui/states";
import { Unavailable } from "../../components/ui/unavailable";
import { useTRPC } from "../../lib/trpc";

export default function ProjectSettingsPage() {
  const { projectId = "" } = useParams();
  const trpc = useTRPC();
  const project = useQuery(trpc.projects.get.queryOptions({ projectId }));

  if (project.isPending) return <Loading label="Loading the project…" />;
  if (!project.data) {
    return (
      <div className="mx-auto max-w-3xl p-4 sm:p-6">
        <Unavailable
          error={project.error}
          onRetry={() => void project.refetch()}
          thing="project"
          hint="Ask an owner of the project to add you as a member."
          back={{ to: "/", label: "Go to the overview" }}
        />
      </div>
    );
  }

  const { data } = project;
  const isOwner = hasRole(data.role, "owner");
  return (
    <div className="mx-auto flex max-w-3xl flex-col gap-6 p-4 sm:p-6">
      <header>
        <Link
          to={`/projects/${data.id}`}
          className="inline-flex items-center gap-1 text-sm text-accent hover:underline"
        >
          <ChevronLeft size={14} aria-hidden /> Back to {data.name}
        </Link>
        <div className="mt-2 flex items-center gap-2">
          <ProjectDot colour={data.color} className="h-4 w-4" />
          <h1 className="break-words text-2xl font-semibold">Settings of {data.name}</h1>
        </div>
      </header>

      {hasRole(data.role, "maintainer") ? (
        <ProjectDetailsForm key={data.id} project={data} />
      ) : (
        <p role="note" className="rounded-lg border border-border bg-surface p-4 text-sm text-muted">
          You are a viewer in this project: you can see its repositories and members, but only maintainers and
          owners change its settings.
        </p>
      )}
      <RepositoriesSection project={data} canManage={isOwner} />
      <MembersSection projectId={data.id} canManage={isOwner} />
      {isOwner && <DangerZone projectId={data.id} projectName={data.name} />}
    </div>
  );
}

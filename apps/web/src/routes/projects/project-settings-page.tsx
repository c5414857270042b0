// A project's settings: details for maintainers; repositories, members and deletion for owners.
import { ChevronLeft } from "lucide-react";
import { Link } from "react-router";
import { DangerZone } from "../../components/projects/danger-zone";
import { MembersSection } from "../../components/projects/members-section";
import { ProjectDetailsForm } from "../../components/projects/project-details-form";
import { ProjectDot } from "../../components/projects/project-dot";
import { hasRole } from "../../components/projects/project-roles";
import { RepositoriesSection } from "../../components/projects/repositories-section";
import { usePageTitle } from "../../lib/use-page-title";
import { useProject } from "./project-layout";

export default function ProjectSettingsPage() {
  const data = useProject();
  usePageTitle(`Settings · ${data.name}`);
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

// A project: its header and figures, the crew and the order it works in, and recent conversations.
import { lazy, Suspense } from "react";
import { CrewSection } from "../../components/agents/crew-section";
import { PipelineEditor } from "../../components/projects/pipeline-editor";
import { ProjectHeader } from "../../components/projects/project-header";
import { hasRole } from "../../components/projects/project-roles";
import { ProjectTabs } from "../../components/projects/project-tabs";
import { RecentConversations } from "../../components/projects/recent-conversations";
import { Loading } from "../../components/ui/states";
import { usePageTitle } from "../../lib/use-page-title";
import { useProject } from "./project-layout";

// The usage panel draws a chart: its chart library (~125 kB gzipped) loads after the rest of the page.
const ProjectUsageSection = lazy(() =>
  import("../../components/usage/project-usage-section").then((m) => ({ default: m.ProjectUsageSection })),
);

export default function ProjectPage() {
  const project = useProject();
  usePageTitle(project.name);
  const projectId = project.id;
  const canManage = hasRole(project.role, "maintainer");
  return (
    <div className="mx-auto flex max-w-6xl flex-col gap-6 p-4 sm:p-6">
      <ProjectHeader project={project} />
      <ProjectTabs projectId={projectId} />
      <CrewSection projectId={projectId} canManage={canManage} />
      <div className="grid items-start gap-6 lg:grid-cols-2">
        <PipelineEditor project={project} canEdit={canManage} />
        <RecentConversations projectId={projectId} projectName={project.name} />
      </div>
      <Suspense fallback={<Loading label="Loading usage…" />}>
        <ProjectUsageSection projectId={projectId} />
      </Suspense>
    </div>
  );
}

// A project: its header and figures, the crew and the order it works in, and recent conversations.
import { useQuery } from "@tanstack/react-query";
import { useParams } from "react-router";
import { CrewSection } from "../../components/agents/crew-section";
import { PipelineEditor } from "../../components/projects/pipeline-editor";
import { ProjectHeader } from "../../components/projects/project-header";
import { hasRole } from "../../components/projects/project-roles";
import { RecentConversations } from "../../components/projects/recent-conversations";
import { Loading } from "../../components/ui/states";
import { Unavailable } from "../../components/ui/unavailable";
import { useTRPC } from "../../lib/trpc";

export default function ProjectPage() {
  const { projectId = "" } = useParams();
  const trpc = useTRPC();
  const project = useQuery(trpc.projects.get.queryOptions({ projectId }));

  if (project.isPending) return <Loading label="Loading the project…" />;
  if (!project.data) {
    return (
      <div className="mx-auto max-w-6xl p-4 sm:p-6">
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

  const canManage = hasRole(project.data.role, "maintainer");
  return (
    <div className="mx-auto flex max-w-6xl flex-col gap-6 p-4 sm:p-6">
      <ProjectHeader project={project.data} />
      <CrewSection projectId={projectId} canManage={canManage} />
      <div className="grid items-start gap-6 lg:grid-cols-2">
        <PipelineEditor project={project.data} canEdit={canManage} />
        <RecentConversations projectId={projectId} projectName={project.data.name} />
      </div>
    </div>
  );
}

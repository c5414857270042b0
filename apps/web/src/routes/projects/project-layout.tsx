// /projects/:projectId and its settings: the project is loaded here once, and its "unavailable" screen
// shown here once, for both pages; they read it with `useProject()`.
import { useQuery } from "@tanstack/react-query";
import { useEffect } from "react";
import { Outlet, useOutletContext, useParams } from "react-router";
import { rememberProject } from "../../components/projects/last-project";
import { Loading } from "../../components/ui/states";
import { Unavailable } from "../../components/ui/unavailable";
import { type RouterOutputs, useTRPC } from "../../lib/trpc";

export type Project = RouterOutputs["projects"]["get"];

/** The project of the address, for the pages under this layout. */
export const useProject = () => useOutletContext<Project>();

export default function ProjectLayout() {
  const { projectId = "" } = useParams();
  const trpc = useTRPC();
  const project = useQuery(trpc.projects.get.queryOptions({ projectId }));
  const loadedId = project.data?.id;
  useEffect(() => {
    if (loadedId) rememberProject(loadedId);
  }, [loadedId]);

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
  return <Outlet context={project.data satisfies Project} />;
}

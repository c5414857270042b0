// Task list items carry ids only (project, assigned agent); these turn them into names and colours from
// queries the app caches anyway (the sidebar lists the same projects).
import { useQueries, useQuery } from "@tanstack/react-query";
import { useMemo } from "react";
import { type RouterOutputs, useTRPC } from "../../lib/trpc";

export type ProjectSummary = RouterOutputs["projects"]["list"]["items"][number];
export type AgentSummary = RouterOutputs["agents"]["list"]["items"][number];

/** The caller's projects by id (the API's page ceiling, which is also what the sidebar shows). */
export function useProjects() {
  const trpc = useTRPC();
  const projects = useQuery(trpc.projects.list.queryOptions({ limit: 100 }));
  const byId = useMemo(
    () => new Map((projects.data?.items ?? []).map((project) => [project.id, project])),
    [projects.data],
  );
  return { projects: projects.data?.items ?? [], byId, isPending: projects.isPending };
}

type CrewResult = { data?: { items: AgentSummary[] } | undefined };

/** Module-level, so TanStack Query keeps the combined map until a crew's data actually changes. */
const agentsById = (crews: CrewResult[]) =>
  new Map(crews.flatMap((crew) => crew.data?.items ?? []).map((agent) => [agent.id, agent]));

/** The agents of the given projects by id: one cached crew query per project on screen. */
export function useAgentsById(projectIds: readonly string[]): Map<string, AgentSummary> {
  const trpc = useTRPC();
  const unique = useMemo(() => [...new Set(projectIds)].sort(), [projectIds]);
  return useQueries({
    queries: unique.map((projectId) => ({
      ...trpc.agents.list.queryOptions({ projectId }),
      staleTime: 60_000,
    })),
    combine: agentsById,
  });
}

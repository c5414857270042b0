// The project's crew, with each agent's live status and, for maintainers, its controls.
import { useQuery } from "@tanstack/react-query";
import { useTRPC } from "../../lib/trpc";
import { Panel } from "../projects/panel";
import { Empty, QueryState } from "../ui/states";
import { AddAgents } from "./add-agents";
import { AgentCard } from "./agent-card";

export function CrewSection({ projectId, canManage }: { projectId: string; canManage: boolean }) {
  const trpc = useTRPC();
  const agents = useQuery(trpc.agents.list.queryOptions({ projectId }));
  // Only for display names; the list still reads without it.
  const models = useQuery(trpc.models.list.queryOptions({}));
  const modelName = (id: string) => models.data?.items.find((model) => model.id === id)?.displayName ?? id;

  return (
    <Panel title="Crew" description="The agents that plan, build and test this project's work.">
      <QueryState query={agents} loading="Loading the crew…">
        {({ items }) =>
          items.length === 0 ? (
            <Empty title="No agents in this project">
              {canManage ? "Add an agent or a crew template below." : "A maintainer can add agents."}
            </Empty>
          ) : (
            <ul aria-label="Agents" className="flex flex-col gap-2">
              {items.map((agent) => (
                <AgentCard
                  key={agent.id}
                  agent={agent}
                  modelName={modelName(agent.modelConfig.model)}
                  canManage={canManage}
                />
              ))}
            </ul>
          )
        }
      </QueryState>
      {canManage && <AddAgents projectId={projectId} />}
    </Panel>
  );
}

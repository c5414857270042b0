// The agents of one project as checkboxes, for choosing who answers in a new chat: the project's crew to
// start with, since a chat without agents is answered by nobody.
import { useQuery } from "@tanstack/react-query";
import { useEffect, useId, useRef } from "react";
import { useTRPC } from "../../lib/trpc";
import { agentLabel } from "./agent-label";

export function AgentPicker({
  projectId,
  selected,
  onToggle,
  onCrew,
  error,
}: {
  projectId: string;
  selected: readonly string[];
  onToggle: (agentId: string, included: boolean) => void;
  /** Once per project, as its crew arrives: the agents that work (active, not paused), to include at first. */
  onCrew?: (agentIds: string[]) => void;
  error?: string | undefined;
}) {
  const trpc = useTRPC();
  const crew = useQuery(trpc.agents.list.queryOptions({ projectId }));
  const hintId = useId();
  const agents = crew.data?.items ?? [];
  const defaulted = useRef<string | null>(null);
  useEffect(() => {
    if (!crew.data || defaulted.current === projectId) return;
    defaulted.current = projectId;
    onCrew?.(crew.data.items.filter((a) => a.isActive && a.status !== "paused").map((a) => a.id));
  }, [crew.data, projectId, onCrew]);

  const hint = crew.isPending
    ? "Loading the crew…"
    : crew.error
      ? "The crew could not be loaded; you can start the chat without agents."
      : agents.length === 0
        ? "This project has no agents yet."
        : selected.length === 0
          ? "Nobody will answer in this chat: include an agent, or keep it a chat among people."
          : "The agents you include answer in this chat, in this order; you can add or remove them later.";

  return (
    <fieldset className="flex flex-col gap-1" aria-describedby={hintId}>
      <legend className="text-sm font-medium">Agents</legend>
      {agents.length > 0 && (
        <div className="grid max-h-48 gap-1 overflow-y-auto rounded-md border border-border p-2 sm:grid-cols-2">
          {agents.map((agent) => (
            <label
              key={agent.id}
              className="flex items-center gap-2 rounded px-1 py-0.5 text-sm hover:bg-subtle"
            >
              <input
                type="checkbox"
                checked={selected.includes(agent.id)}
                onChange={(e) => onToggle(agent.id, e.target.checked)}
              />
              <span className="min-w-0 truncate">{agentLabel(agent)}</span>
            </label>
          ))}
        </div>
      )}
      <p id={hintId} className="text-xs text-muted" aria-live="polite">
        {hint}
      </p>
      {error && (
        <p role="alert" className="text-xs text-danger">
          {error}
        </p>
      )}
    </fieldset>
  );
}

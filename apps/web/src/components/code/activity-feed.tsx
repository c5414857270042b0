// The agents' tool calls and results as they happen (live `agent_action` events of this task): what they
// read, edit and run. Live only: it starts when the page opens.
import { useState } from "react";
import { useLiveEvent, useLiveState } from "../../live/live-events";
import { type AgentAction, appendAction, describeAction } from "./code-view";

export function ActivityFeed({ taskId, agentNames }: { taskId: string; agentNames: Map<string, string> }) {
  const [actions, setActions] = useState<AgentAction[]>([]);
  const live = useLiveState();
  useLiveEvent("agent_action", (event) => {
    if (event.scope.taskId !== taskId) return;
    setActions((list) => appendAction(list, { id: event.id, ...event.payload }));
  });
  if (actions.length === 0) {
    return (
      <p className="text-sm text-muted" role="status">
        {live === "live"
          ? "Nothing yet: the agents' tool calls (files read and edited, commands run) appear here as they happen."
          : "Connecting to the live stream…"}
      </p>
    );
  }
  return (
    <ol
      className="flex max-h-96 flex-col gap-1 overflow-y-auto text-sm"
      aria-label="Agent activity"
      aria-live="polite"
    >
      {actions.map((action) => {
        const { label, detail } = describeAction(action);
        return (
          <li key={action.id} className={action.type === "tool_result" ? "pl-4" : undefined}>
            <span className="font-medium">{agentNames.get(action.agentId) ?? "An agent"}</span>{" "}
            <span className={action.type === "tool_result" ? "text-muted" : undefined}>{label}</span>
            {detail && (
              <pre className="mt-1 max-h-40 overflow-auto whitespace-pre-wrap rounded bg-subtle p-2 text-xs">
                {detail}
              </pre>
            )}
          </li>
        );
      })}
    </ol>
  );
}

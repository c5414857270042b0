// "Ask only…": address the next message to some of the conversation's agents. None chosen means every agent
// of the conversation may answer.
import { cn } from "../ui/cn";
import { humanRole } from "./chat-format";

type Agent = { id: string; name: string; role: string };

export function AgentAddressing({
  agents,
  selected,
  onChange,
}: {
  agents: readonly Agent[];
  selected: readonly string[];
  onChange: (ids: string[]) => void;
}) {
  const toggle = (id: string) =>
    onChange(selected.includes(id) ? selected.filter((s) => s !== id) : [...selected, id]);
  return (
    <fieldset className="flex flex-wrap items-center gap-1.5">
      <legend className="sr-only">Ask only</legend>
      <span aria-hidden className="text-xs text-muted">
        Ask only
      </span>
      {agents.map((agent) => {
        const on = selected.includes(agent.id);
        return (
          <label
            key={agent.id}
            className={cn(
              "cursor-pointer rounded-full border px-2 py-0.5 text-xs has-[:focus-visible]:outline-2 has-[:focus-visible]:outline-accent",
              on ? "border-accent bg-accent/15 text-accent" : "border-border text-muted hover:bg-subtle",
            )}
          >
            <input type="checkbox" className="sr-only" checked={on} onChange={() => toggle(agent.id)} />
            {agent.name} <span className="opacity-75">({humanRole(agent.role)})</span>
          </label>
        );
      })}
    </fieldset>
  );
}

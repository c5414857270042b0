// The order the crew works a task in. Maintainers rearrange it step by step (buttons rather than drag and
// drop, so it works from the keyboard and on touch) and save it as the project's pipeline.
import { useMutation, useQuery, useQueryClient } from "@tanstack/react-query";
import { ArrowDown, ArrowUp, Plus, X } from "lucide-react";
import { useEffect, useRef, useState } from "react";
import { toast } from "sonner";
import { type RouterOutputs, useTRPC } from "../../lib/trpc";
import { roleLabel } from "../agents/agent-roles";
import { Badge, humanStatus, statusTone } from "../ui/badge";
import { Button } from "../ui/button";
import { QueryState } from "../ui/states";
import { Panel } from "./panel";
import { addStep, effectivePipeline, moveStep, removeStep, samePipeline } from "./pipeline";

type Agent = RouterOutputs["agents"]["list"]["items"][number];
type Project = Pick<RouterOutputs["projects"]["get"], "id" | "pipeline">;

export function PipelineEditor({ project, canEdit }: { project: Project; canEdit: boolean }) {
  const trpc = useTRPC();
  const queryClient = useQueryClient();
  const agents = useQuery(trpc.agents.list.queryOptions({ projectId: project.id }));
  const save = useMutation(
    trpc.projects.update.mutationOptions({
      onSuccess: (updated) => {
        queryClient.setQueryData(trpc.projects.get.queryKey({ projectId: project.id }), updated);
        void queryClient.invalidateQueries({ queryKey: trpc.projects.list.pathKey() });
        toast.success("Pipeline saved");
      },
    }),
  );
  return (
    <Panel title="Pipeline order" description="Each task runs through these agents, top to bottom.">
      <QueryState query={agents} loading="Loading the pipeline…">
        {({ items }) => (
          <PipelineSteps
            saved={project.pipeline}
            crew={items}
            canEdit={canEdit}
            onSave={(pipeline) => save.mutateAsync({ projectId: project.id, pipeline })}
          />
        )}
      </QueryState>
    </Panel>
  );
}

type Crew = Pick<Agent, "id" | "name" | "role" | "status" | "isActive" | "position">[];

/**
 * The steps and their controls. `saved` is the project's stored pipeline (empty for the default order);
 * `onSave` rejects when the save fails (it reports why itself), keeping the unsaved order on screen.
 */
export function PipelineSteps({
  saved: stored,
  crew,
  canEdit,
  onSave,
}: {
  saved: readonly string[];
  crew: Crew;
  canEdit: boolean;
  onSave: (pipeline: string[]) => Promise<unknown>;
}) {
  const saved = effectivePipeline(stored, crew);
  // null until the person changes something, so live updates of the saved order show through.
  const [draft, setDraft] = useState<string[] | null>(null);
  const [saving, setSaving] = useState(false);
  const [announcement, setAnnouncement] = useState("");
  const [focusKey, setFocusKey] = useState<string | null>(null);
  const list = useRef<HTMLOListElement>(null);
  const steps = draft ?? saved;
  const byId = new Map(crew.map((agent) => [agent.id, agent]));
  const left = crew.filter((agent) => !steps.includes(agent.id));
  const changed = !samePipeline(steps, saved) || (stored.length === 0 && draft !== null);

  const save = async () => {
    setSaving(true);
    try {
      await onSave(steps);
      setDraft(null);
    } catch {
      // The failure is reported where the save is made; the unsaved order stays to try again.
    } finally {
      setSaving(false);
    }
  };

  // Reordering moves the list items in the page; keep the keyboard on the button that was pressed (or its
  // twin, when the step reached an end and the pressed one is now disabled).
  useEffect(() => {
    if (!focusKey || !list.current) return;
    const [id, direction] = focusKey.split(":");
    const find = (d: string) =>
      list.current?.querySelector<HTMLButtonElement>(`[data-step="${id}"][data-direction="${d}"]`);
    const target = find(direction ?? "");
    (target && !target.disabled ? target : find(direction === "up" ? "down" : "up"))?.focus();
    setFocusKey(null);
  }, [focusKey]);

  const move = (index: number, offset: -1 | 1) => {
    const next = moveStep(steps, index, offset);
    const agent = byId.get(steps[index] ?? "");
    setDraft(next);
    if (agent) {
      setAnnouncement(`${agent.name} is now step ${index + offset + 1} of ${next.length}.`);
      setFocusKey(`${agent.id}:${offset < 0 ? "up" : "down"}`);
    }
  };

  if (crew.length === 0)
    return <p className="text-sm text-muted">The crew is empty, so there is nothing to order.</p>;

  return (
    <div className="flex flex-col gap-3">
      {stored.length === 0 && draft === null && (
        <p className="text-xs text-muted">
          No order saved yet: tasks run through every active agent in crew order.
        </p>
      )}
      <ol ref={list} aria-label="Pipeline steps" className="flex flex-col gap-1.5">
        {steps.map((id, index) => {
          const agent = byId.get(id);
          if (!agent) return null;
          return (
            <li key={id} className="flex items-center gap-2 rounded-md border border-border px-2 py-1.5">
              <span aria-hidden className="w-5 text-center text-sm font-semibold text-muted">
                {index + 1}
              </span>
              <div className="min-w-0 flex-1">
                <p className="truncate text-sm font-medium">{agent.name}</p>
                <p className="truncate text-xs text-muted">{roleLabel(agent.role)}</p>
              </div>
              {(agent.status !== "idle" || !agent.isActive) && (
                <Badge tone={agent.isActive ? statusTone(agent.status) : "warn"}>
                  {agent.isActive ? humanStatus(agent.status) : "inactive"}
                </Badge>
              )}
              {canEdit && (
                <div className="flex">
                  <Button
                    size="icon"
                    variant="ghost"
                    aria-label={`Move ${agent.name} up`}
                    data-step={id}
                    data-direction="up"
                    disabled={index === 0}
                    onClick={() => move(index, -1)}
                  >
                    <ArrowUp size={16} aria-hidden />
                  </Button>
                  <Button
                    size="icon"
                    variant="ghost"
                    aria-label={`Move ${agent.name} down`}
                    data-step={id}
                    data-direction="down"
                    disabled={index === steps.length - 1}
                    onClick={() => move(index, 1)}
                  >
                    <ArrowDown size={16} aria-hidden />
                  </Button>
                  <Button
                    size="icon"
                    variant="ghost"
                    aria-label={`Remove ${agent.name} from the pipeline`}
                    disabled={steps.length === 1}
                    onClick={() => {
                      setDraft(removeStep(steps, id));
                      setAnnouncement(`${agent.name} removed from the pipeline.`);
                    }}
                  >
                    <X size={16} aria-hidden />
                  </Button>
                </div>
              )}
            </li>
          );
        })}
      </ol>

      {canEdit && left.length > 0 && (
        <div className="flex flex-wrap items-center gap-1.5">
          <span className="text-xs text-muted">Not in the pipeline:</span>
          {left.map((agent) => (
            <Button
              key={agent.id}
              size="sm"
              variant="ghost"
              onClick={() => {
                setDraft(addStep(steps, agent.id));
                setAnnouncement(`${agent.name} added as the last step.`);
              }}
            >
              <Plus size={14} aria-hidden /> Add {agent.name}
            </Button>
          ))}
        </div>
      )}

      <p aria-live="polite" className="sr-only">
        {announcement}
      </p>

      {canEdit && (
        <div className="flex flex-wrap justify-end gap-2">
          {draft !== null && (
            <Button size="sm" variant="ghost" disabled={saving} onClick={() => setDraft(null)}>
              Undo changes
            </Button>
          )}
          <Button
            size="sm"
            variant="primary"
            busy={saving}
            disabled={!changed || steps.length === 0}
            onClick={() => void save()}
          >
            Save pipeline
          </Button>
        </div>
      )}
    </div>
  );
}

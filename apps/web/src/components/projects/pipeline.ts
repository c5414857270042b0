// The order a project's crew works a task in. The project stores agent ids; an empty list means "every
// active agent by position", which is what a run falls back to, so the editor starts from that.

type CrewMember = { id: string; position: number; isActive: boolean };

/** The order a run would use now: the saved one without agents that left the crew, else the default. */
export function effectivePipeline(saved: readonly string[], crew: readonly CrewMember[]): string[] {
  const known = new Set(crew.map((agent) => agent.id));
  const kept = saved.filter((id) => known.has(id));
  if (kept.length > 0) return kept;
  return [...crew]
    .filter((agent) => agent.isActive)
    .sort((a, b) => a.position - b.position)
    .map((agent) => agent.id);
}

/** The list with the step at `index` moved by `offset` places; unchanged when it would leave the list. */
export function moveStep(ids: readonly string[], index: number, offset: number): string[] {
  const target = index + offset;
  if (index < 0 || index >= ids.length || target < 0 || target >= ids.length) return [...ids];
  const next = [...ids];
  const [moved] = next.splice(index, 1);
  next.splice(target, 0, moved as string);
  return next;
}

export const removeStep = (ids: readonly string[], id: string): string[] => ids.filter((step) => step !== id);

/** Appends an agent as the last step; an agent runs at most once per pipeline. */
export const addStep = (ids: readonly string[], id: string): string[] =>
  ids.includes(id) ? [...ids] : [...ids, id];

export const samePipeline = (a: readonly string[], b: readonly string[]): boolean =>
  a.length === b.length && a.every((id, i) => id === b[i]);

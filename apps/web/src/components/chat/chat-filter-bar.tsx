// The chats list's filters: which project (or none) and which status.

import type { ProjectSummary } from "../tasks/use-task-lookups";
import { humanStatus } from "../ui/badge";
import { Button } from "../ui/button";
import { SelectField } from "../ui/field";
import { CHAT_STATUSES, type ChatFilters, hasChatFilters, UNASSIGNED } from "./chat-filters";

const capitalise = (word: string) => word.charAt(0).toUpperCase() + word.slice(1);

export function ChatFilterBar({
  filters,
  projects,
  onChange,
  onClear,
}: {
  filters: ChatFilters;
  projects: readonly ProjectSummary[];
  onChange: (changes: Partial<Pick<ChatFilters, "projectId" | "status">>) => void;
  onClear: () => void;
}) {
  // An address may name a project that is not (or not yet) in the list; keep it selectable rather than
  // letting the select silently show another choice.
  const unlisted =
    filters.projectId &&
    filters.projectId !== UNASSIGNED &&
    !projects.some((p) => p.id === filters.projectId);
  return (
    <div className="flex flex-wrap items-end gap-3">
      <SelectField
        label="Project"
        className="w-full sm:w-56"
        value={filters.projectId ?? ""}
        onChange={(e) => onChange({ projectId: e.target.value || null })}
      >
        <option value="">All chats</option>
        <option value={UNASSIGNED}>Outside projects</option>
        {unlisted && <option value={filters.projectId ?? ""}>Selected project</option>}
        {projects.map((project) => (
          <option key={project.id} value={project.id}>
            {project.name}
          </option>
        ))}
      </SelectField>
      <SelectField
        label="Status"
        className="w-full sm:w-40"
        value={filters.status ?? ""}
        onChange={(e) => onChange({ status: CHAT_STATUSES.find((s) => s === e.target.value) ?? null })}
      >
        <option value="">Any status</option>
        {CHAT_STATUSES.map((status) => (
          <option key={status} value={status}>
            {capitalise(humanStatus(status))}
          </option>
        ))}
      </SelectField>
      {hasChatFilters(filters) && (
        <Button variant="ghost" onClick={onClear}>
          Clear filters
        </Button>
      )}
    </div>
  );
}

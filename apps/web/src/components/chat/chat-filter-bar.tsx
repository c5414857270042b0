// The chats list's filters: which project (or none) and which status.

import { ProjectSelectField } from "../projects/project-select-field";
import { humanStatus } from "../ui/badge";
import { Button } from "../ui/button";
import { SelectField } from "../ui/field";
import { CHAT_STATUSES, type ChatFilters, hasChatFilters, UNASSIGNED } from "./chat-filters";

const PROJECT_CHOICES = [
  { value: "", label: "All chats" },
  { value: UNASSIGNED, label: "Outside projects" },
];
const capitalise = (word: string) => word.charAt(0).toUpperCase() + word.slice(1);

export function ChatFilterBar({
  filters,
  onChange,
  onClear,
}: {
  filters: ChatFilters;
  onChange: (changes: Partial<Pick<ChatFilters, "projectId" | "status">>) => void;
  onClear: () => void;
}) {
  return (
    <div className="flex flex-wrap items-end gap-3">
      <ProjectSelectField
        label="Project"
        className="w-full sm:w-56"
        value={filters.projectId ?? ""}
        onChange={(id) => onChange({ projectId: id || null })}
        leading={PROJECT_CHOICES}
        // An address may name a project that is not (or not yet) loaded; keep it selectable rather than
        // letting the select silently show another choice.
        unlistedLabel="Selected project"
      />
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

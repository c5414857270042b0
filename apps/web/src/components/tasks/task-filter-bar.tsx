// The tasks screen's filters: project, status, priority and a search over titles and descriptions.
// Each change goes to the address (see task-filters.ts); the search waits for a pause in typing.
import { Search, X } from "lucide-react";
import { useEffect, useState } from "react";
import { ProjectSelectField } from "../projects/project-select-field";
import { Button } from "../ui/button";
import { SelectField, TextField } from "../ui/field";
import { hasFilters, type TaskFilterKey, type TaskFilters } from "./task-filters";
import { priorityLabel, statusLabel, TASK_PRIORITIES, TASK_STATUSES } from "./task-options";

const SEARCH_DELAY_MS = 300;
const PROJECT_CHOICES = [
  { value: "", label: "All projects" },
  { value: "unassigned", label: "No project" },
];

export function TaskFilterBar({
  filters,
  onChange,
  onClear,
}: {
  filters: TaskFilters;
  onChange: (key: TaskFilterKey, value: string | null) => void;
  onClear: () => void;
}) {
  const [search, setSearch] = useState(filters.search);
  // The address changed under us (back button, clear): show what it says.
  useEffect(() => setSearch(filters.search), [filters.search]);
  useEffect(() => {
    if (search === filters.search) return;
    const timer = setTimeout(() => onChange("q", search.trim() ? search : null), SEARCH_DELAY_MS);
    return () => clearTimeout(timer);
  }, [search, filters.search, onChange]);

  return (
    <search aria-label="Filter tasks" className="flex flex-wrap items-end gap-3">
      <ProjectSelectField
        label="Project"
        className="w-full sm:w-48"
        value={filters.projectId ?? ""}
        onChange={(id) => onChange("projectId", id || null)}
        leading={PROJECT_CHOICES}
        // A project id from a link that is not among those loaded still shows.
        unlistedLabel="This project"
      />
      <SelectField
        label="Status"
        className="w-[calc(50%-0.375rem)] sm:w-40"
        value={filters.status ?? ""}
        onChange={(e) => onChange("status", e.target.value || null)}
      >
        <option value="">Any status</option>
        {TASK_STATUSES.map((status) => (
          <option key={status} value={status}>
            {statusLabel(status)}
          </option>
        ))}
      </SelectField>
      <SelectField
        label="Priority"
        className="w-[calc(50%-0.375rem)] sm:w-36"
        value={filters.priority ?? ""}
        onChange={(e) => onChange("priority", e.target.value || null)}
      >
        <option value="">Any priority</option>
        {TASK_PRIORITIES.map((priority) => (
          <option key={priority} value={priority}>
            {priorityLabel(priority)}
          </option>
        ))}
      </SelectField>
      <div className="relative w-full sm:w-64">
        <TextField
          label="Search"
          type="search"
          placeholder="Title or description"
          maxLength={200}
          value={search}
          onChange={(e) => setSearch(e.target.value)}
          onKeyDown={(e) => {
            // Enter searches at once instead of waiting for the pause.
            if (e.key === "Enter") onChange("q", search.trim() ? search : null);
          }}
          className="[&_input]:pl-8"
        />
        <Search size={14} aria-hidden className="pointer-events-none absolute bottom-3 left-2.5 text-muted" />
      </div>
      {hasFilters(filters) && (
        <Button variant="ghost" size="sm" onClick={onClear} className="mb-0.5">
          <X size={14} aria-hidden /> Clear filters
        </Button>
      )}
    </search>
  );
}

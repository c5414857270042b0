// The frame of a project's tab pages (issues, pull requests): the project's name, its tabs, then the page.
import type { ReactNode } from "react";
import { SelectField } from "../ui/field";
import { ProjectTabs } from "./project-tabs";

export function ProjectTabPage({
  project,
  children,
}: {
  project: { id: string; name: string };
  children: ReactNode;
}) {
  return (
    <div className="mx-auto flex max-w-6xl flex-col gap-4 p-4 sm:p-6">
      <h1 className="text-xl font-semibold">{project.name}</h1>
      <ProjectTabs projectId={project.id} />
      {children}
    </div>
  );
}

/** The "State" filter of a synced list; choosing another state is the caller's cue to go back to page 1. */
export function StateFilter<S extends string>({
  states,
  value,
  onChange,
}: {
  states: readonly S[];
  value: S;
  onChange: (state: S) => void;
}) {
  return (
    <SelectField label="State" value={value} onChange={(e) => onChange(e.target.value as S)}>
      {states.map((s) => (
        <option key={s} value={s}>
          {s}
        </option>
      ))}
    </SelectField>
  );
}

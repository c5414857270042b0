// The one project picker: a select labelled as the form needs, listing the person's projects a page of
// 100 at a time (the API's ceiling). Someone with more gets a search box and "More projects", so every
// project can be picked, not only the first hundred.
import { useInfiniteQuery } from "@tanstack/react-query";
import { type ComponentProps, type ReactNode, useRef, useState } from "react";
import { type FieldValues, type Path, type UseFormReturn, useController } from "react-hook-form";
import { describeError } from "../../lib/errors";
import { useTRPC, useTRPCClient } from "../../lib/trpc";
import { useSettled } from "../../lib/use-settled";
import { Button } from "../ui/button";
import { cn } from "../ui/cn";
import { inputClass, SelectField } from "../ui/field";
import { isUnlisted, nextPage, offersSearch, type ProjectOption, projectOptions } from "./project-options";

const PAGE_SIZE = 100;
const SEARCH_DELAY_MS = 300;

const everyProject = () => true;

export function ProjectSelectField({
  label,
  value,
  onChange,
  include = everyProject,
  leading = [],
  unlistedLabel = "This project",
  error,
  hint,
  className,
  disabled,
}: {
  label: string;
  /** A project id, or the value of one of the `leading` options. */
  value: string;
  onChange: (value: string) => void;
  /** Which projects are offered (those the person may write to, say). */
  include?: (project: ProjectOption) => boolean;
  /** Choices before the projects: "No project", "All projects"… */
  leading?: readonly { value: string; label: string }[];
  /** Shown for a chosen project that is not among those loaded (from a link, or beyond a search). */
  unlistedLabel?: string;
  error?: string | undefined;
  hint?: ReactNode;
  className?: string;
  disabled?: boolean;
}) {
  const trpc = useTRPC();
  const client = useTRPCClient();
  const [typed, setTyped] = useState("");
  const search = useSettled(typed.trim(), SEARCH_DELAY_MS);

  const input = { limit: PAGE_SIZE, ...(search && { search }) };
  const projects = useInfiniteQuery({
    // Under the procedure's path, so invalidating `projects` refreshes the picker too.
    queryKey: [...trpc.projects.list.pathKey(), { input, type: "infinite" }],
    queryFn: ({ pageParam }) => client.projects.list.query({ ...input, page: pageParam }),
    initialPageParam: 1,
    getNextPageParam: nextPage,
  });
  const options = projectOptions(projects.data?.pages ?? [], include);

  // Names of projects seen before, so the chosen one keeps its name when a search leaves it out.
  const names = useRef(new Map<string, string>());
  for (const project of options) names.current.set(project.id, project.name);
  const unlisted = isUnlisted(value, leading, options);

  const searchable = offersSearch(typed, search, projects.data?.pages[0]);

  return (
    <div className={cn("flex flex-col gap-2", className)}>
      <SelectField
        label={label}
        value={value}
        onChange={(e) => onChange(e.target.value)}
        disabled={disabled || projects.isPending}
        error={error ?? (projects.error ? describeError(projects.error) : undefined)}
        hint={hint}
      >
        {leading.map((choice) => (
          <option key={choice.value} value={choice.value}>
            {choice.label}
          </option>
        ))}
        {unlisted && <option value={value}>{names.current.get(value) ?? unlistedLabel}</option>}
        {options.map((project) => (
          <option key={project.id} value={project.id}>
            {project.name}
          </option>
        ))}
      </SelectField>
      {searchable && (
        <div className="flex items-center gap-2">
          <input
            type="search"
            aria-label={`Find a project for “${label}”`}
            placeholder="Find a project by name"
            value={typed}
            onChange={(e) => setTyped(e.target.value)}
            className={cn(inputClass, "py-1.5")}
          />
          {projects.hasNextPage && (
            <Button
              size="sm"
              onClick={() => void projects.fetchNextPage()}
              busy={projects.isFetchingNextPage}
            >
              More projects
            </Button>
          )}
        </div>
      )}
    </div>
  );
}

/** The picker bound to a react-hook-form field holding a project id (or a `leading` value). */
export function FormProjectSelectField<V extends FieldValues, C, O>({
  form,
  name,
  onPick,
  ...picker
}: {
  form: UseFormReturn<V, C, O>;
  name: Path<V>;
  /** Runs as a project is picked, before the form stores it: the form still holds the previous one. */
  onPick?: (value: string) => void;
} & Omit<ComponentProps<typeof ProjectSelectField>, "value" | "onChange" | "error">) {
  const { field, fieldState } = useController({ control: form.control, name });
  return (
    <ProjectSelectField
      {...picker}
      value={field.value}
      onChange={(value) => {
        onPick?.(value);
        field.onChange(value);
      }}
      error={fieldState.error?.message}
    />
  );
}

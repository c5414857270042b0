// Creating a task: in one of the person's projects (where they may write) or as their own, outside any.
import { useMutation, useQuery, useQueryClient } from "@tanstack/react-query";
import { Plus } from "lucide-react";
import { type FormEvent, useState } from "react";
import { useNavigate } from "react-router";
import { toast } from "sonner";
import { describeError, fieldErrors } from "../../lib/errors";
import { useTRPC } from "../../lib/trpc";
import { roleLabel } from "../agents/agent-roles";
import { Button } from "../ui/button";
import { Dialog } from "../ui/dialog";
import { SelectField, TextAreaField, TextField } from "../ui/field";
import { DRAFT_FIELDS, type Draft, emptyDraft, toCreateInput } from "./new-task-draft";
import {
  complexityLabel,
  priorityLabel,
  TASK_COMPLEXITIES,
  TASK_PRIORITIES,
  TASK_TYPES,
  type TaskComplexity,
  type TaskPriority,
  type TaskType,
  typeLabel,
} from "./task-options";
import type { ProjectSummary } from "./use-task-lookups";

function CrewSelect({
  projectId,
  value,
  onChange,
}: {
  projectId: string;
  value: string;
  onChange: (id: string) => void;
}) {
  const trpc = useTRPC();
  const crew = useQuery(trpc.agents.list.queryOptions({ projectId }));
  return (
    <SelectField
      label="Assign to"
      value={value}
      onChange={(e) => onChange(e.target.value)}
      disabled={crew.isPending}
      hint={crew.error ? "The crew could not be loaded." : "Optional: the agent responsible for the task."}
    >
      <option value="">Nobody yet</option>
      {crew.data?.items.map((agent) => (
        <option key={agent.id} value={agent.id}>
          {agent.name} ({roleLabel(agent.role)})
        </option>
      ))}
    </SelectField>
  );
}

export function NewTaskDialog({
  projects,
  defaultProjectId,
}: {
  projects: readonly ProjectSummary[];
  /** The project the screen is filtered to, if any: a new task most likely belongs there. */
  defaultProjectId: string | null;
}) {
  const trpc = useTRPC();
  const queryClient = useQueryClient();
  const navigate = useNavigate();
  // Viewers may not create tasks in a project; the server would refuse them.
  const writable = projects.filter((project) => project.role !== "viewer");
  const initialProject = writable.some((p) => p.id === defaultProjectId) ? (defaultProjectId ?? "") : "";
  const [open, setOpen] = useState(false);
  const [draft, setDraft] = useState<Draft>(() => emptyDraft(initialProject));
  const set = <K extends keyof Draft>(key: K, value: Draft[K]) => setDraft((d) => ({ ...d, [key]: value }));

  const create = useMutation(
    trpc.tasks.create.mutationOptions({
      // Shown in the form, next to the field it is about.
      onError: () => {},
      onSuccess: (task) => {
        void queryClient.invalidateQueries({ queryKey: trpc.tasks.pathKey() });
        void queryClient.invalidateQueries({ queryKey: trpc.projects.pathKey() });
        setOpen(false);
        toast.success(`Task “${task.title}” created`);
        navigate(`/tasks/${task.id}`);
      },
    }),
  );
  const errors = fieldErrors(create.error);
  const errorFor = (field: string) => errors.find((e) => e.field === field)?.message;
  // A field error about something the form does not show (the assigned agent, say) goes in the alert.
  const unplaced = errors.some((e) => !DRAFT_FIELDS.includes(e.field));

  const openChange = (next: boolean) => {
    if (next) {
      setDraft(emptyDraft(initialProject));
      create.reset();
    }
    setOpen(next);
  };
  const submit = (event: FormEvent) => {
    event.preventDefault();
    create.mutate(toCreateInput(draft));
  };

  return (
    <Dialog
      open={open}
      onOpenChange={openChange}
      title="New task"
      description="Describe the work; start it from the task's page when you are ready."
      trigger={
        <Button variant="primary">
          <Plus size={16} aria-hidden /> New task
        </Button>
      }
    >
      <form onSubmit={submit} className="flex flex-col gap-4">
        <TextField
          label="Title"
          value={draft.title}
          onChange={(e) => set("title", e.target.value)}
          required
          maxLength={200}
          autoFocus
          error={errorFor("title")}
        />
        <TextAreaField
          label="Description"
          value={draft.description}
          onChange={(e) => set("description", e.target.value)}
          rows={4}
          error={errorFor("description")}
        />
        <SelectField
          label="Project"
          value={draft.projectId}
          onChange={(e) => setDraft((d) => ({ ...d, projectId: e.target.value, agentId: "" }))}
          error={errorFor("projectId")}
        >
          <option value="">No project</option>
          {writable.map((project) => (
            <option key={project.id} value={project.id}>
              {project.name}
            </option>
          ))}
        </SelectField>
        <div className="grid gap-4 sm:grid-cols-3">
          <SelectField
            label="Type"
            value={draft.type}
            onChange={(e) => set("type", e.target.value as TaskType)}
            error={errorFor("type")}
          >
            {TASK_TYPES.map((type) => (
              <option key={type} value={type}>
                {typeLabel(type)}
              </option>
            ))}
          </SelectField>
          <SelectField
            label="Priority"
            value={draft.priority}
            onChange={(e) => set("priority", e.target.value as TaskPriority)}
            error={errorFor("priority")}
          >
            {TASK_PRIORITIES.map((priority) => (
              <option key={priority} value={priority}>
                {priorityLabel(priority)}
              </option>
            ))}
          </SelectField>
          <SelectField
            label="Complexity"
            value={draft.complexity}
            onChange={(e) => set("complexity", e.target.value as TaskComplexity)}
            error={errorFor("complexity")}
          >
            {TASK_COMPLEXITIES.map((complexity) => (
              <option key={complexity} value={complexity}>
                {complexityLabel(complexity)}
              </option>
            ))}
          </SelectField>
        </div>
        {draft.projectId && (
          <CrewSelect
            projectId={draft.projectId}
            value={draft.agentId}
            onChange={(id) => set("agentId", id)}
          />
        )}
        {create.error && (errors.length === 0 || unplaced) && (
          <p role="alert" className="text-sm text-danger">
            {describeError(create.error)}
          </p>
        )}
        <div className="flex justify-end gap-2">
          <Button onClick={() => setOpen(false)}>Cancel</Button>
          <Button type="submit" variant="primary" busy={create.isPending}>
            Create task
          </Button>
        </div>
      </form>
    </Dialog>
  );
}

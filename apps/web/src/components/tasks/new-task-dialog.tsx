// Creating a task: in one of the person's projects (where they may write) or as their own, outside any.
import { useMutation, useQuery, useQueryClient } from "@tanstack/react-query";
import { Plus } from "lucide-react";
import { useState } from "react";
import { useForm } from "react-hook-form";
import { useNavigate } from "react-router";
import { toast } from "sonner";
import { inputResolver } from "../../lib/schema-form";
import { useTRPC } from "../../lib/trpc";
import { roleLabel } from "../agents/agent-roles";
import { NO_PROJECT, startingProject, writableProject } from "../projects/project-options";
import { FormProjectSelectField } from "../projects/project-select-field";
import { Button } from "../ui/button";
import { SelectField } from "../ui/field";
import { FormDialog } from "../ui/form-dialog";
import { FormSelectField, FormTextAreaField, FormTextField } from "../ui/form-field";
import { checkDraft, draftField, emptyDraft } from "./new-task-draft";
import {
  complexityLabel,
  priorityLabel,
  TASK_COMPLEXITIES,
  TASK_PRIORITIES,
  TASK_TYPES,
  typeLabel,
} from "./task-options";
import type { ProjectSummary } from "./use-task-lookups";

function CrewSelect({
  projectId,
  value,
  onChange,
  error,
}: {
  projectId: string;
  value: string;
  onChange: (id: string) => void;
  error: string | undefined;
}) {
  const trpc = useTRPC();
  const crew = useQuery(trpc.agents.list.queryOptions({ projectId }));
  return (
    <SelectField
      label="Assign to"
      value={value}
      onChange={(e) => onChange(e.target.value)}
      disabled={crew.isPending}
      error={error}
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

const resolver = inputResolver(checkDraft, draftField);

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
  const initialProject = startingProject(projects, defaultProjectId);
  const [open, setOpen] = useState(false);
  const form = useForm({ defaultValues: emptyDraft(initialProject), resolver });
  const errors = form.formState.errors;
  const projectId = form.watch("projectId");

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

  return (
    <FormDialog
      open={open}
      onOpenChange={setOpen}
      initialValues={emptyDraft(initialProject)}
      title="New task"
      description="Describe the work; start it from the task's page when you are ready."
      trigger={
        <Button variant="primary">
          <Plus size={16} aria-hidden /> New task
        </Button>
      }
      form={form}
      fieldOf={draftField}
      onSubmit={(input) => create.mutate(input)}
      request={create}
      submitLabel="Create task"
    >
      <FormTextField form={form} name="title" label="Title" required maxLength={200} autoFocus />
      <FormTextAreaField form={form} name="description" label="Description" rows={4} />
      <FormProjectSelectField
        form={form}
        name="projectId"
        label="Project"
        // Another project has another crew: the agent picked for the old one cannot come along.
        onPick={() => form.setValue("agentId", "")}
        include={writableProject}
        leading={NO_PROJECT}
      />
      <div className="grid gap-4 sm:grid-cols-3">
        <FormSelectField form={form} name="type" label="Type" choices={TASK_TYPES} choiceLabel={typeLabel} />
        <FormSelectField
          form={form}
          name="priority"
          label="Priority"
          choices={TASK_PRIORITIES}
          choiceLabel={priorityLabel}
        />
        <FormSelectField
          form={form}
          name="complexity"
          label="Complexity"
          choices={TASK_COMPLEXITIES}
          choiceLabel={complexityLabel}
        />
      </div>
      {projectId && (
        <CrewSelect
          projectId={projectId}
          value={form.watch("agentId")}
          onChange={(id) => form.setValue("agentId", id)}
          error={errors.agentId?.message}
        />
      )}
    </FormDialog>
  );
}

// Changing what a task asks for (its title and description) and the project it belongs to. Field errors sit
// under their field.
import { zUpdateTaskInput } from "@crewdeck/api/schemas";
import { useMutation, useQueryClient } from "@tanstack/react-query";
import { Pencil } from "lucide-react";
import { useState } from "react";
import { useForm } from "react-hook-form";
import { toast } from "sonner";
import { checkInput, inputResolver, sameNames } from "../../lib/schema-form";
import { useTRPC } from "../../lib/trpc";
import { NO_PROJECT, writableProject } from "../projects/project-options";
import { FormProjectSelectField } from "../projects/project-select-field";
import { Button } from "../ui/button";
import { FormDialog } from "../ui/form-dialog";
import { FormTextAreaField, FormTextField } from "../ui/form-field";
import type { Task } from "./task-options";

type EditedTask = Pick<Task, "id" | "title" | "description" | "projectId">;
/** `projectId` is "" for a task outside any project (it may be moved into one, not out). */
type Values = { taskId: string; title: string; description: string; projectId: string };

const valuesOf = (task: EditedTask): Values => ({
  taskId: task.id,
  title: task.title,
  description: task.description ?? "",
  projectId: task.projectId ?? "",
});
const fieldOf = sameNames<Values>("title", "description", "projectId");

function editInput(task: EditedTask, values: Values) {
  return {
    taskId: values.taskId,
    title: values.title.trim(),
    // A blank description clears it.
    description: values.description.trim() ? values.description : null,
    ...(values.projectId && values.projectId !== task.projectId && { projectId: values.projectId }),
  };
}

export function EditTaskDialog({ task }: { task: EditedTask }) {
  const trpc = useTRPC();
  const queryClient = useQueryClient();
  const [open, setOpen] = useState(false);
  const resolver = inputResolver(
    (values: Values) => checkInput(zUpdateTaskInput, editInput(task, values)),
    fieldOf,
  );
  const form = useForm({ defaultValues: valuesOf(task), resolver });

  const update = useMutation(
    trpc.tasks.update.mutationOptions({
      // Shown in the form, next to the field it is about.
      onError: () => {},
      onSuccess: () => {
        void queryClient.invalidateQueries({ queryKey: trpc.tasks.pathKey() });
        void queryClient.invalidateQueries({ queryKey: trpc.conversations.pathKey() });
        void queryClient.invalidateQueries({ queryKey: trpc.projects.pathKey() });
        setOpen(false);
        toast.success("Task saved");
      },
    }),
  );

  return (
    <FormDialog
      open={open}
      onOpenChange={setOpen}
      // Start from the task as it is now: live events may have changed it since the page loaded.
      initialValues={valuesOf(task)}
      title="Edit task"
      description="The crew reads the title and description at the start of every run."
      trigger={
        <Button>
          <Pencil size={16} aria-hidden /> Edit task
        </Button>
      }
      form={form}
      fieldOf={fieldOf}
      onSubmit={(input) => update.mutate(input)}
      request={update}
      submitLabel="Save"
    >
      <FormTextField form={form} name="title" label="Title" required maxLength={200} autoFocus />
      <FormTextAreaField
        form={form}
        name="description"
        label="Description"
        maxLength={20_000}
        rows={8}
        hint="Markdown is supported."
      />
      <FormProjectSelectField
        form={form}
        name="projectId"
        label="Project"
        include={writableProject}
        leading={task.projectId ? [] : NO_PROJECT}
        hint={
          task.projectId
            ? "Moving it to another project leaves this project's agent and repository behind."
            : "A task starts only in a project: move it into one of yours to give it a crew."
        }
      />
    </FormDialog>
  );
}

// A project's name, description, colour and status, for its maintainers and owners.
import { useMutation, useQueryClient } from "@tanstack/react-query";
import { type FormEvent, useState } from "react";
import { toast } from "sonner";
import { describeError, fieldErrors } from "../../lib/errors";
import { type RouterOutputs, useTRPC } from "../../lib/trpc";
import { Button } from "../ui/button";
import { SelectField, TextAreaField, TextField } from "../ui/field";
import { ColourPicker, PROJECT_COLOURS } from "./colour-picker";
import { Panel } from "./panel";
import { PROJECT_STATUSES, type ProjectStatus, projectStatusLabel } from "./project-status";

type Project = RouterOutputs["projects"]["get"];

export function ProjectDetailsForm({ project }: { project: Project }) {
  const trpc = useTRPC();
  const queryClient = useQueryClient();
  // Starts from the project as loaded; later live refreshes do not overwrite what is being typed.
  const [name, setName] = useState(project.name);
  const [description, setDescription] = useState(project.description ?? "");
  const [colour, setColour] = useState<string>(project.color ?? PROJECT_COLOURS[0]);
  const [status, setStatus] = useState<ProjectStatus>(project.status);
  const update = useMutation(
    trpc.projects.update.mutationOptions({
      onError: () => {},
      onSuccess: (updated) => {
        queryClient.setQueryData(trpc.projects.get.queryKey({ projectId: project.id }), updated);
        void queryClient.invalidateQueries({ queryKey: trpc.projects.list.pathKey() });
        toast.success("Project saved");
      },
    }),
  );
  const errors = fieldErrors(update.error);
  const errorFor = (field: string) => errors.find((error) => error.field === field)?.message;

  const submit = (event: FormEvent) => {
    event.preventDefault();
    update.mutate({
      projectId: project.id,
      name: name.trim(),
      description: description.trim(),
      color: colour,
      status,
    });
  };

  return (
    <Panel title="Details">
      <form onSubmit={submit} className="flex flex-col gap-4">
        <TextField
          label="Name"
          value={name}
          onChange={(event) => setName(event.target.value)}
          required
          maxLength={100}
          error={errorFor("name")}
        />
        <TextAreaField
          label="Description"
          value={description}
          onChange={(event) => setDescription(event.target.value)}
          maxLength={2000}
          error={errorFor("description")}
        />
        <div className="grid gap-4 sm:grid-cols-2">
          <ColourPicker value={colour} onChange={setColour} />
          <SelectField
            label="Status"
            value={status}
            onChange={(event) => setStatus(event.target.value as ProjectStatus)}
            error={errorFor("status")}
          >
            {PROJECT_STATUSES.map((value) => (
              <option key={value} value={value}>
                {projectStatusLabel(value)}
              </option>
            ))}
          </SelectField>
        </div>
        {errorFor("color") && (
          <p role="alert" className="text-xs text-danger">
            {errorFor("color")}
          </p>
        )}
        {update.error && errors.length === 0 && (
          <p role="alert" className="text-sm text-danger">
            {describeError(update.error)}
          </p>
        )}
        <div className="flex justify-end">
          <Button type="submit" variant="primary" busy={update.isPending}>
            Save details
          </Button>
        </div>
      </form>
    </Panel>
  );
}

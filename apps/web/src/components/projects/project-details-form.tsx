// A project's name, description, colour and status, for its maintainers and owners.
import { zUpdateProjectInput } from "@crewdeck/api/schemas";
import { useMutation, useQueryClient } from "@tanstack/react-query";
import { useForm } from "react-hook-form";
import { toast } from "sonner";
import { checkInput, inputResolver, sameNames } from "../../lib/schema-form";
import { type RouterOutputs, useTRPC } from "../../lib/trpc";
import { Button } from "../ui/button";
import { FormAlert, useFormAlert } from "../ui/form-alert";
import { FormSelectField, FormTextAreaField, FormTextField } from "../ui/form-field";
import { ColourPicker, PROJECT_COLOURS } from "./colour-picker";
import { Panel } from "./panel";
import { PROJECT_STATUSES, type ProjectStatus, projectStatusLabel } from "./project-status";

type Project = RouterOutputs["projects"]["get"];
type Values = { name: string; description: string; color: string; status: ProjectStatus };

const fieldOf = sameNames<Values>("name", "description", "color", "status");
const resolver = inputResolver((values: Values) => checkInput(zUpdateProjectInput, values), fieldOf);

export function ProjectDetailsForm({ project }: { project: Project }) {
  const trpc = useTRPC();
  const queryClient = useQueryClient();
  // Starts from the project as loaded; later live refreshes do not overwrite what is being typed.
  const form = useForm({
    defaultValues: {
      name: project.name,
      description: project.description ?? "",
      color: project.color ?? PROJECT_COLOURS[0],
      status: project.status,
    },
    resolver,
  });
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
  const alert = useFormAlert(form, fieldOf, update.error);
  const colourError = form.formState.errors.color?.message;

  return (
    <Panel title="Details">
      <form
        onSubmit={form.handleSubmit((input) => update.mutate({ projectId: project.id, ...input }))}
        className="flex flex-col gap-4"
      >
        <FormTextField form={form} name="name" label="Name" required maxLength={100} />
        <FormTextAreaField form={form} name="description" label="Description" maxLength={2000} />
        <div className="grid gap-4 sm:grid-cols-2">
          <ColourPicker value={form.watch("color")} onChange={(colour) => form.setValue("color", colour)} />
          <FormSelectField
            form={form}
            name="status"
            label="Status"
            choices={PROJECT_STATUSES}
            choiceLabel={projectStatusLabel}
          />
        </div>
        {colourError && (
          <p role="alert" className="text-xs text-danger">
            {colourError}
          </p>
        )}
        <FormAlert message={alert} />
        <div className="flex justify-end">
          <Button type="submit" variant="primary" busy={update.isPending}>
            Save details
          </Button>
        </div>
      </form>
    </Panel>
  );
}

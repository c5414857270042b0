// A project's name, description, colour and status, for its maintainers and owners; whether agents' commands
// may reach the network, which only its owner changes (maintainers see it, disabled).
import { zUpdateProjectInput } from "@crewdeck/api/schemas";
import { useMutation, useQueryClient } from "@tanstack/react-query";
import { useId } from "react";
import { useForm } from "react-hook-form";
import { toast } from "sonner";
import { checkInput, inputResolver, sameNames } from "../../lib/schema-form";
import { type RouterOutputs, useTRPC } from "../../lib/trpc";
import { Button } from "../ui/button";
import { FormAlert, useFormAlert } from "../ui/form-alert";
import { FormSelectField, FormTextAreaField, FormTextField } from "../ui/form-field";
import { ColourPicker, PROJECT_COLOURS } from "./colour-picker";
import { Panel } from "./panel";
import { hasRole } from "./project-roles";
import { PROJECT_STATUSES, type ProjectStatus, projectStatusLabel } from "./project-status";

type Project = RouterOutputs["projects"]["get"];
type Values = {
  name: string;
  description: string;
  color: string;
  status: ProjectStatus;
  agentNetwork: boolean;
};

const fieldOf = sameNames<Values>("name", "description", "color", "status", "agentNetwork");
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
      agentNetwork: project.agentNetwork,
    },
    resolver,
  });
  const isOwner = hasRole(project.role, "owner");
  const networkHintId = useId();
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
        onSubmit={form.handleSubmit(({ agentNetwork, ...input }) =>
          // Only the owner may send the network setting; the API refuses it from anyone else.
          update.mutate({ projectId: project.id, ...input, ...(isOwner ? { agentNetwork } : {}) }),
        )}
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
        <div>
          <label className="flex items-center gap-2 text-sm font-medium">
            <input
              type="checkbox"
              {...form.register("agentNetwork")}
              disabled={!isOwner}
              aria-describedby={networkHintId}
              className="h-4 w-4"
            />
            Let agents' commands reach the network
          </label>
          <p id={networkHintId} className="text-xs text-muted">
            When off, the commands agents run in the sandbox cannot download packages or reach any service.
            {isOwner ? "" : " Only the project's owner can change this."}
          </p>
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

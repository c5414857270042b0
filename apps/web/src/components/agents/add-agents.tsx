// Growing the crew: one agent of a chosen role and model, or a crew template's agents at once.
import { AGENT_ROLES, type AgentRole } from "@crewdeck/domain";
import { useMutation, useQuery, useQueryClient } from "@tanstack/react-query";
import { Plus, Users } from "lucide-react";
import { type FormEvent, useState } from "react";
import { toast } from "sonner";
import { describeError } from "../../lib/errors";
import { useTRPC } from "../../lib/trpc";
import { Button } from "../ui/button";
import { Dialog } from "../ui/dialog";
import { SelectField, TextField } from "../ui/field";
import { roleLabel } from "./agent-roles";
import { ModelOptions } from "./model-options";

const NAME_MAX = 100;

function AddAgentDialog({ projectId }: { projectId: string }) {
  const trpc = useTRPC();
  const queryClient = useQueryClient();
  const models = useQuery(trpc.models.list.queryOptions({}));
  const [open, setOpen] = useState(false);
  const [role, setRole] = useState<AgentRole>("senior-developer");
  const [name, setName] = useState("");
  const [model, setModel] = useState("");
  const chosenModel = model || models.data?.items[0]?.id || "";
  const create = useMutation(
    trpc.agents.create.mutationOptions({
      // Said in the dialog, once; not also as a toast.
      onError: () => {},
      onSuccess: (agent) => {
        void queryClient.invalidateQueries({ queryKey: trpc.agents.pathKey() });
        toast.success(`${agent.name} joined the crew`);
        setOpen(false);
      },
    }),
  );
  const submit = (event: FormEvent) => {
    event.preventDefault();
    create.mutate({
      projectId,
      name: name.trim() || roleLabel(role),
      role,
      modelConfig: { model: chosenModel, temperature: 0.4, maxTokens: 8192 },
    });
  };
  return (
    <Dialog
      open={open}
      onOpenChange={(next) => {
        setOpen(next);
        create.reset();
      }}
      title="Add an agent"
      description="It joins the crew at the end; add it to the pipeline to give it steps in runs."
      trigger={
        <Button size="sm">
          <Plus size={14} aria-hidden /> Add agent
        </Button>
      }
    >
      <form onSubmit={submit} className="flex flex-col gap-4" noValidate>
        <SelectField label="Role" value={role} onChange={(e) => setRole(e.target.value as AgentRole)}>
          {AGENT_ROLES.map((r) => (
            <option key={r} value={r}>
              {roleLabel(r)}
            </option>
          ))}
        </SelectField>
        <TextField
          label="Name"
          value={name}
          maxLength={NAME_MAX}
          placeholder={roleLabel(role)}
          hint={`Up to ${NAME_MAX} characters; the role's name when left empty.`}
          onChange={(e) => setName(e.target.value)}
        />
        <SelectField
          label="Model"
          value={chosenModel}
          disabled={models.isPending}
          onChange={(e) => setModel(e.target.value)}
        >
          <ModelOptions models={models.data?.items ?? []} current={chosenModel} />
        </SelectField>
        {create.error && (
          <p role="alert" className="text-sm text-danger">
            {describeError(create.error)}
          </p>
        )}
        <div className="flex justify-end">
          <Button type="submit" variant="primary" busy={create.isPending} disabled={!chosenModel}>
            Add agent
          </Button>
        </div>
      </form>
    </Dialog>
  );
}

function AddTemplate({ projectId }: { projectId: string }) {
  const trpc = useTRPC();
  const queryClient = useQueryClient();
  const templates = useQuery(trpc.agents.templates.queryOptions({}));
  const [templateId, setTemplateId] = useState("");
  const add = useMutation(
    trpc.agents.addTemplate.mutationOptions({
      // Said under the template picker, once.
      onError: () => {},
      onSuccess: () => {
        void queryClient.invalidateQueries({ queryKey: trpc.agents.pathKey() });
        const template = templates.data?.items.find((t) => t.id === templateId);
        toast.success(`${template?.name ?? "The template"} joined the crew`);
        setTemplateId("");
      },
    }),
  );
  const chosen = templates.data?.items.find((t) => t.id === templateId);
  return (
    <div className="flex flex-wrap items-end gap-2">
      <SelectField
        label="Crew template"
        value={templateId}
        onChange={(e) => setTemplateId(e.target.value)}
        disabled={templates.isPending}
        hint={
          chosen ? `${chosen.description} Adds ${chosen.agents.map((a) => a.name).join(", ")}.` : undefined
        }
        error={add.error ? describeError(add.error) : undefined}
      >
        <option value="">Choose a template…</option>
        {templates.data?.items.map((t) => (
          <option key={t.id} value={t.id}>
            {t.name}
          </option>
        ))}
      </SelectField>
      <Button
        size="sm"
        disabled={!templateId}
        busy={add.isPending}
        onClick={() => add.mutate({ projectId, templateId })}
      >
        <Users size={14} aria-hidden /> Add template
      </Button>
    </div>
  );
}

export function AddAgents({ projectId }: { projectId: string }) {
  return (
    <div className="flex flex-wrap items-end justify-between gap-3 border-t border-border pt-3">
      <AddTemplate projectId={projectId} />
      <AddAgentDialog projectId={projectId} />
    </div>
  );
}

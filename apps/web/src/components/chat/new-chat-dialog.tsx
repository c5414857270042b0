// Starting a chat: a title, optionally a project and the agents of it who answer, and optionally the first
// message. The new chat opens once it exists.
import { useMutation, useQueryClient } from "@tanstack/react-query";
import { Plus } from "lucide-react";
import { useCallback, useState } from "react";
import { useForm } from "react-hook-form";
import { useNavigate } from "react-router";
import { inputResolver } from "../../lib/schema-form";
import { useTRPC } from "../../lib/trpc";
import { NO_PROJECT, startingProject, writableProject } from "../projects/project-options";
import { FormProjectSelectField } from "../projects/project-select-field";
import type { ProjectSummary } from "../tasks/use-task-lookups";
import { Button } from "../ui/button";
import { FormDialog } from "../ui/form-dialog";
import { FormTextAreaField, FormTextField } from "../ui/form-field";
import { AgentPicker } from "./agent-picker";
import { checkNewChat, emptyNewChatDraft, newChatErrorField, withAgent, withProject } from "./new-chat-draft";

const resolver = inputResolver(checkNewChat, newChatErrorField);

export function NewChatDialog({
  projects,
  defaultProjectId,
}: {
  projects: readonly ProjectSummary[];
  /** The project the list is filtered to, if any: a new chat most likely belongs there. */
  defaultProjectId: string | null;
}) {
  const trpc = useTRPC();
  const queryClient = useQueryClient();
  const navigate = useNavigate();
  const initialProject = startingProject(projects, defaultProjectId);
  const [open, setOpen] = useState(false);
  const form = useForm({ defaultValues: emptyNewChatDraft(initialProject), resolver });
  const errors = form.formState.errors;
  const projectId = form.watch("projectId");
  const agentIds = form.watch("agentIds");
  // A new chat starts with the project's crew, unless the person already picked some.
  const includeCrew = useCallback(
    (ids: string[]) => {
      if (form.getValues("agentIds").length === 0) form.setValue("agentIds", ids);
    },
    [form],
  );

  const create = useMutation(
    trpc.conversations.create.mutationOptions({
      // Shown in the form, next to the field it is about, with what was typed kept.
      onError: () => {},
      onSuccess: (conversation) => {
        void queryClient.invalidateQueries({ queryKey: trpc.conversations.list.queryKey() });
        // The project's count of active conversations changed.
        void queryClient.invalidateQueries({ queryKey: trpc.projects.pathKey() });
        setOpen(false);
        navigate(`/chats/${conversation.id}`);
      },
    }),
  );

  return (
    <FormDialog
      open={open}
      onOpenChange={setOpen}
      initialValues={emptyNewChatDraft(initialProject)}
      title="New chat"
      description="Talk with your agents, in a project or on your own."
      trigger={
        <Button variant="primary">
          <Plus size={16} aria-hidden /> New chat
        </Button>
      }
      form={form}
      fieldOf={newChatErrorField}
      onSubmit={(input) => create.mutate(input)}
      request={create}
      submitLabel="Start chat"
    >
      <FormTextField form={form} name="title" label="Title" required maxLength={200} autoFocus />
      <FormProjectSelectField
        form={form}
        name="projectId"
        label="Project"
        onPick={(id) => form.setValue("agentIds", withProject(form.getValues(), id).agentIds)}
        include={writableProject}
        leading={NO_PROJECT}
        hint={
          projectId
            ? undefined
            : "A chat outside projects is yours alone; choose a project to include its agents."
        }
      />
      {projectId && (
        <AgentPicker
          projectId={projectId}
          selected={agentIds}
          onToggle={(agentId, included) =>
            form.setValue("agentIds", withAgent(form.getValues(), agentId, included).agentIds)
          }
          onCrew={includeCrew}
          error={errors.agentIds?.message}
        />
      )}
      <FormTextAreaField
        form={form}
        name="firstMessage"
        label="First message"
        rows={4}
        hint={agentIds.length > 0 ? "Optional. The agents you include answer it at once." : "Optional."}
      />
    </FormDialog>
  );
}

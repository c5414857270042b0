// Starting a chat: a title, optionally a project and the agents of it who answer, and optionally the first
// message. The new chat opens once it exists.
import { useMutation, useQueryClient } from "@tanstack/react-query";
import { Plus } from "lucide-react";
import { type FormEvent, useState } from "react";
import { useNavigate } from "react-router";
import { describeError, fieldErrors } from "../../lib/errors";
import { useTRPC } from "../../lib/trpc";
import type { ProjectSummary } from "../tasks/use-task-lookups";
import { Button } from "../ui/button";
import { Dialog } from "../ui/dialog";
import { SelectField, TextAreaField, TextField } from "../ui/field";
import { AgentPicker } from "./agent-picker";
import {
  emptyNewChatDraft,
  type NewChatDraft,
  newChatErrorField,
  toCreateChatInput,
  withAgent,
  withProject,
} from "./new-chat-draft";

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
  // Viewers may not start chats in a project; the server would refuse them.
  const writable = projects.filter((project) => project.role !== "viewer");
  const initialProject = writable.some((p) => p.id === defaultProjectId) ? (defaultProjectId ?? "") : "";
  const [open, setOpen] = useState(false);
  const [draft, setDraft] = useState<NewChatDraft>(() => emptyNewChatDraft(initialProject));

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
  const errors = fieldErrors(create.error);
  const errorFor = (field: keyof NewChatDraft) =>
    errors.find((e) => newChatErrorField(e.field) === field)?.message;
  const unplaced = errors.some((e) => newChatErrorField(e.field) === null);

  const openChange = (next: boolean) => {
    if (next) {
      setDraft(emptyNewChatDraft(initialProject));
      create.reset();
    }
    setOpen(next);
  };
  const submit = (event: FormEvent) => {
    event.preventDefault();
    create.mutate(toCreateChatInput(draft));
  };

  return (
    <Dialog
      open={open}
      onOpenChange={openChange}
      title="New chat"
      description="Talk with your agents, in a project or on your own."
      trigger={
        <Button variant="primary">
          <Plus size={16} aria-hidden /> New chat
        </Button>
      }
    >
      <form onSubmit={submit} className="flex flex-col gap-4">
        <TextField
          label="Title"
          value={draft.title}
          onChange={(e) => setDraft((d) => ({ ...d, title: e.target.value }))}
          required
          maxLength={200}
          autoFocus
          error={errorFor("title")}
        />
        <SelectField
          label="Project"
          value={draft.projectId}
          onChange={(e) => setDraft((d) => withProject(d, e.target.value))}
          error={errorFor("projectId")}
          hint={
            draft.projectId
              ? undefined
              : "A chat outside projects is yours alone; choose a project to include its agents."
          }
        >
          <option value="">No project</option>
          {writable.map((project) => (
            <option key={project.id} value={project.id}>
              {project.name}
            </option>
          ))}
        </SelectField>
        {draft.projectId && (
          <AgentPicker
            projectId={draft.projectId}
            selected={draft.agentIds}
            onToggle={(agentId, included) => setDraft((d) => withAgent(d, agentId, included))}
            error={errorFor("agentIds")}
          />
        )}
        <TextAreaField
          label="First message"
          value={draft.firstMessage}
          onChange={(e) => setDraft((d) => ({ ...d, firstMessage: e.target.value }))}
          rows={4}
          hint={
            draft.agentIds.length > 0 ? "Optional. The agents you include answer it at once." : "Optional."
          }
          error={errorFor("firstMessage")}
        />
        {create.error && (errors.length === 0 || unplaced) && (
          <p role="alert" className="text-sm text-danger">
            {describeError(create.error)}
          </p>
        )}
        <div className="flex justify-end gap-2">
          <Button onClick={() => setOpen(false)}>Cancel</Button>
          <Button type="submit" variant="primary" busy={create.isPending}>
            Start chat
          </Button>
        </div>
      </form>
    </Dialog>
  );
}

// What a maintainer can do to one agent: change its settings, stop or restart it taking work, and clear
// its memory. Button names carry the agent's name so each is unique on the page.
import { useMutation, useQueryClient } from "@tanstack/react-query";
import { Pause, Pencil, Play, RotateCcw, Trash2 } from "lucide-react";
import { useState } from "react";
import { toast } from "sonner";
import { type RouterOutputs, useTRPC } from "../../lib/trpc";
import { Button } from "../ui/button";
import { ConfirmButton, Dialog } from "../ui/dialog";
import { AgentEditForm } from "./agent-edit-form";
import { roleLabel } from "./agent-roles";

type Agent = RouterOutputs["agents"]["list"]["items"][number];

export function AgentActions({ agent }: { agent: Agent }) {
  const trpc = useTRPC();
  const queryClient = useQueryClient();
  const [editing, setEditing] = useState(false);
  const refresh = () => queryClient.invalidateQueries({ queryKey: trpc.agents.pathKey() });
  const ref = { projectId: agent.projectId, agentId: agent.id };

  const pause = useMutation(trpc.agents.pause.mutationOptions({ onSuccess: refresh }));
  const resume = useMutation(trpc.agents.resume.mutationOptions({ onSuccess: refresh }));
  const reset = useMutation(trpc.agents.reset.mutationOptions({ onSuccess: refresh }));
  const remove = useMutation(
    trpc.agents.delete.mutationOptions({
      onSuccess: () => {
        void refresh();
        // Pipelines and chats named it; they changed too.
        void queryClient.invalidateQueries({ queryKey: trpc.projects.pathKey() });
        void queryClient.invalidateQueries({ queryKey: trpc.conversations.pathKey() });
      },
    }),
  );
  const paused = agent.status === "paused";

  return (
    <div className="flex flex-wrap items-center gap-1.5">
      <Dialog
        open={editing}
        onOpenChange={setEditing}
        title={`Edit ${agent.name}`}
        description={`${roleLabel(agent.role)}: the model it uses, how it answers and what it is told.`}
        trigger={
          <Button size="sm">
            <Pencil size={14} aria-hidden /> Edit<span className="sr-only"> {agent.name}</span>
          </Button>
        }
      >
        {/* Mounted only while open, so each opening starts from the agent as it is now. */}
        <AgentEditForm agent={agent} onDone={() => setEditing(false)} />
      </Dialog>

      {paused ? (
        <Button size="sm" busy={resume.isPending} onClick={() => resume.mutate(ref)}>
          <Play size={14} aria-hidden /> Resume<span className="sr-only"> {agent.name}</span>
        </Button>
      ) : (
        <Button size="sm" busy={pause.isPending} onClick={() => pause.mutate(ref)}>
          <Pause size={14} aria-hidden /> Pause<span className="sr-only"> {agent.name}</span>
        </Button>
      )}

      <ConfirmButton
        variant="secondary"
        size="sm"
        title={`Reset ${agent.name}'s memory?`}
        description={`${agent.name} forgets the context of its earlier conversations and starts fresh. Messages stay in the chats; this cannot be undone.`}
        confirmLabel="Reset memory"
        onConfirm={async () => {
          await reset.mutateAsync(ref);
          toast.success(`${agent.name}'s memory was reset`);
        }}
      >
        <RotateCcw size={14} aria-hidden /> Reset memory<span className="sr-only"> of {agent.name}</span>
      </ConfirmButton>

      <ConfirmButton
        size="sm"
        title={`Remove ${agent.name} from the crew?`}
        description={`${agent.name} leaves the project's crew, its pipeline and its chats. Its messages stay. This cannot be undone.`}
        confirmLabel="Remove agent"
        onConfirm={async () => {
          await remove.mutateAsync(ref);
          toast.success(`${agent.name} left the crew`);
        }}
      >
        <Trash2 size={14} aria-hidden /> Remove<span className="sr-only"> {agent.name}</span>
      </ConfirmButton>
    </div>
  );
}

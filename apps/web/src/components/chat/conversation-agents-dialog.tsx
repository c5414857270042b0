// Adding agents of the project to a chat, or taking them out, after it started: each tick is saved at once.
import { useMutation, useQueryClient } from "@tanstack/react-query";
import { Users } from "lucide-react";
import { useState } from "react";
import { describeError } from "../../lib/errors";
import { useTRPC } from "../../lib/trpc";
import { Button } from "../ui/button";
import { Dialog } from "../ui/dialog";
import { AgentPicker } from "./agent-picker";
import type { ConversationDetail } from "./use-conversation-messages";

export function ConversationAgentsDialog({
  conversation,
}: {
  conversation: Pick<ConversationDetail, "id" | "projectId" | "agents">;
}) {
  const trpc = useTRPC();
  const queryClient = useQueryClient();
  // The tick shows at once; it goes back to what the server holds once that is reloaded (or refused).
  const [ticked, setTicked] = useState<string[] | null>(null);
  const settle = {
    onSuccess: async () => {
      await queryClient.invalidateQueries({ queryKey: trpc.conversations.pathKey() });
      setTicked(null);
    },
    onError: () => setTicked(null),
  };
  const add = useMutation(trpc.conversations.addAgents.mutationOptions(settle));
  const remove = useMutation(trpc.conversations.removeAgent.mutationOptions(settle));
  const selected = ticked ?? conversation.agents.map((a) => a.id);
  if (!conversation.projectId) return null;
  const conversationId = conversation.id;
  const error = add.error ?? remove.error;

  return (
    <Dialog
      title="Agents in this chat"
      description="The agents you include answer the next messages; those you take out answer no more."
      trigger={
        <Button size="sm">
          <Users size={14} aria-hidden /> Agents
        </Button>
      }
    >
      <AgentPicker
        projectId={conversation.projectId}
        selected={selected}
        onToggle={(agentId, included) => {
          setTicked(included ? [...selected, agentId] : selected.filter((id) => id !== agentId));
          if (included) add.mutate({ conversationId, agentIds: [agentId] });
          else remove.mutate({ conversationId, agentId });
        }}
        error={error ? describeError(error) : undefined}
      />
    </Dialog>
  );
}

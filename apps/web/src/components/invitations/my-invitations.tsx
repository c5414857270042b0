// Project invitations waiting for the signed-in person's answer; nothing at all when there are none.
import { useMutation, useQuery, useQueryClient } from "@tanstack/react-query";
import { toast } from "sonner";
import { formatRelative } from "../../lib/format";
import { useTRPC } from "../../lib/trpc";
import { Panel } from "../projects/panel";
import { Button } from "../ui/button";

export function MyInvitations() {
  const trpc = useTRPC();
  const queryClient = useQueryClient();
  const mine = useQuery(trpc.invitations.mine.queryOptions());
  const refresh = () => {
    void queryClient.invalidateQueries({ queryKey: trpc.invitations.mine.queryKey() });
    void queryClient.invalidateQueries({ queryKey: trpc.projects.pathKey() });
    void queryClient.invalidateQueries({ queryKey: trpc.notifications.pathKey() });
  };
  const accept = useMutation(
    trpc.invitations.accept.mutationOptions({
      onSuccess: (joined) => {
        toast.success(`You joined ${joined.projectName} as ${joined.role}`);
        refresh();
      },
    }),
  );
  const decline = useMutation(
    trpc.invitations.decline.mutationOptions({
      onSuccess: () => {
        toast.success("Invitation declined");
        refresh();
      },
    }),
  );
  const items = mine.data?.items ?? [];
  if (items.length === 0) return null;
  return (
    <Panel title="Invitations" description="Projects you were invited to.">
      <ul aria-label="Your invitations" className="flex flex-col gap-2">
        {items.map((invitation) => (
          <li
            key={invitation.id}
            className="flex flex-wrap items-center gap-2 rounded-md border border-border p-3"
          >
            <div className="min-w-0 flex-1">
              <p className="text-sm font-medium">{invitation.projectName}</p>
              <p className="text-xs text-muted">
                {invitation.invitedBy.name} invited you as {invitation.role}{" "}
                {formatRelative(invitation.createdAt)}
              </p>
            </div>
            <Button
              size="sm"
              variant="primary"
              busy={accept.isPending && accept.variables?.invitationId === invitation.id}
              onClick={() => accept.mutate({ invitationId: invitation.id })}
            >
              Accept<span className="sr-only"> the invitation to {invitation.projectName}</span>
            </Button>
            <Button
              size="sm"
              variant="secondary"
              busy={decline.isPending && decline.variables?.invitationId === invitation.id}
              onClick={() => decline.mutate({ invitationId: invitation.id })}
            >
              Decline<span className="sr-only"> the invitation to {invitation.projectName}</span>
            </Button>
          </li>
        ))}
      </ul>
    </Panel>
  );
}

// Invitations still waiting for an answer: a project's (for its owners) or the site's (for administrators).
import { useMutation, useQuery, useQueryClient } from "@tanstack/react-query";
import { toast } from "sonner";
import { formatRelative } from "../../lib/format";
import { useTRPC } from "../../lib/trpc";
import { ConfirmButton } from "../ui/dialog";
import { QueryState } from "../ui/states";

export function PendingInvitations({ projectId }: { projectId?: string }) {
  const trpc = useTRPC();
  const queryClient = useQueryClient();
  const pending = useQuery(
    trpc.invitations.list.queryOptions({ limit: 100, ...(projectId && { projectId }) }),
  );
  const revoke = useMutation(
    trpc.invitations.revoke.mutationOptions({
      onSuccess: () => void queryClient.invalidateQueries({ queryKey: trpc.invitations.list.pathKey() }),
    }),
  );
  return (
    <QueryState query={pending} loading="Loading invitations…">
      {({ items }) =>
        items.length === 0 ? (
          <p className="text-sm text-muted">No pending invitations.</p>
        ) : (
          <ul aria-label="Pending invitations" className="flex flex-col gap-2">
            {items.map((invitation) => {
              const who =
                invitation.email ?? (invitation.userId ? "an existing account" : "anyone with the link");
              return (
                <li
                  key={invitation.id}
                  className="flex flex-wrap items-center gap-2 rounded-md border border-dashed border-border p-3"
                >
                  <div className="min-w-0 flex-1">
                    <p className="break-all text-sm font-medium">{who}</p>
                    <p className="text-xs text-muted">
                      {invitation.role ? `${invitation.role} · ` : ""}invited by {invitation.invitedBy.name}{" "}
                      {formatRelative(invitation.createdAt)} · expires {formatRelative(invitation.expiresAt)}
                    </p>
                  </div>
                  <ConfirmButton
                    size="sm"
                    variant="secondary"
                    title="Withdraw this invitation?"
                    description={`The link sent to ${who} stops working.`}
                    confirmLabel="Withdraw"
                    onConfirm={async () => {
                      await revoke.mutateAsync({ invitationId: invitation.id });
                      toast.success("Invitation withdrawn");
                    }}
                  >
                    Withdraw<span className="sr-only"> the invitation of {who}</span>
                  </ConfirmButton>
                </li>
              );
            })}
          </ul>
        )
      }
    </QueryState>
  );
}

// Who belongs to the project and what they may do. Owners invite people by email (they join once they
// accept), change their role and remove them; every such change is confirmed, since it grants or takes
// away access.
import { useMutation, useQuery, useQueryClient } from "@tanstack/react-query";
import { useState } from "react";
import { useNavigate } from "react-router";
import { toast } from "sonner";
import { formatRelative } from "../../lib/format";
import { type RouterOutputs, useTRPC } from "../../lib/trpc";
import { useMe } from "../../lib/use-me";
import { PendingInvitations } from "../invitations/pending-invitations";
import { Badge } from "../ui/badge";
import { ConfirmButton } from "../ui/dialog";
import { inputClass } from "../ui/field";
import { Empty, QueryState } from "../ui/states";
import { InviteMemberDialog } from "./invite-member-dialog";
import { Panel } from "./panel";
import { MEMBER_ROLES, type MemberRole, roleHint } from "./project-roles";

type Member = RouterOutputs["projects"]["members"]["list"]["items"][number];

export function MembersSection({ projectId, canManage }: { projectId: string; canManage: boolean }) {
  const trpc = useTRPC();
  const members = useQuery(trpc.projects.members.list.queryOptions({ projectId }));
  return (
    <Panel
      title="Members"
      description="Owners manage the project, maintainers work in it, viewers read it."
      actions={canManage ? <InviteMemberDialog projectId={projectId} /> : undefined}
    >
      <QueryState query={members} loading="Loading members…">
        {({ items }) =>
          items.length === 0 ? (
            <Empty title="No members" />
          ) : (
            <ul aria-label="Members" className="flex flex-col gap-2">
              {items.map((member) => (
                // Keyed by role too, so a role changed elsewhere resets the unsaved choice.
                <MemberRow
                  key={`${member.userId}:${member.role}`}
                  projectId={projectId}
                  member={member}
                  canManage={canManage}
                />
              ))}
            </ul>
          )
        }
      </QueryState>
      {canManage ? (
        <div className="mt-4 flex flex-col gap-2">
          <h3 className="text-sm font-semibold">Pending invitations</h3>
          <PendingInvitations projectId={projectId} />
        </div>
      ) : (
        <p className="mt-3 text-xs text-muted">Only owners invite and remove members.</p>
      )}
    </Panel>
  );
}

function MemberRow({
  projectId,
  member,
  canManage,
}: {
  projectId: string;
  member: Member;
  canManage: boolean;
}) {
  const trpc = useTRPC();
  const queryClient = useQueryClient();
  const navigate = useNavigate();
  const me = useMe();
  const isMe = me.data?.id === member.userId;
  const [role, setRole] = useState<MemberRole>(member.role);
  const refresh = () => queryClient.invalidateQueries({ queryKey: trpc.projects.pathKey() });
  const update = useMutation(trpc.projects.members.update.mutationOptions({ onSuccess: refresh }));
  const remove = useMutation(trpc.projects.members.remove.mutationOptions());

  return (
    <li className="flex flex-col items-start gap-2 rounded-md border border-border p-3 sm:flex-row sm:items-center">
      <div className="w-full min-w-0 flex-1">
        <p className="text-sm font-medium">
          {member.name}
          {isMe && <span className="font-normal text-muted"> (you)</span>}
        </p>
        <p className="break-all text-xs text-muted">
          {member.username ? `@${member.username} · ` : ""}
          {member.email} · joined {formatRelative(member.joinedAt)}
        </p>
      </div>
      {canManage ? (
        <div className="flex flex-wrap items-center gap-1.5">
          <div className="w-36">
            <select
              aria-label={`Role of ${member.name}`}
              className={`${inputClass} py-1.5`}
              value={role}
              onChange={(event) => setRole(event.target.value as MemberRole)}
            >
              {MEMBER_ROLES.map((value) => (
                <option key={value} value={value}>
                  {value}
                </option>
              ))}
            </select>
          </div>
          {role !== member.role && (
            <ConfirmButton
              size="sm"
              variant="primary"
              title={isMe ? `Make yourself ${role}?` : `Make ${member.name} ${role}?`}
              description={`${roleHint(role)}.${isMe ? " Only another owner can give you your current role back." : ""}`}
              confirmLabel="Change role"
              onConfirm={async () => {
                await update.mutateAsync({ projectId, userId: member.userId, role });
                toast.success(`${member.name} is now ${role}`);
              }}
            >
              Change role<span className="sr-only"> of {member.name}</span>
            </ConfirmButton>
          )}
          <ConfirmButton
            size="sm"
            variant="secondary"
            title={isMe ? "Leave this project?" : `Remove ${member.name}?`}
            description={
              isMe
                ? "You lose access to the project, its chats and tasks, until an owner adds you again."
                : `${member.name} loses access to the project, its chats and tasks. Their messages stay.`
            }
            confirmLabel={isMe ? "Leave project" : "Remove member"}
            onConfirm={async () => {
              await remove.mutateAsync({ projectId, userId: member.userId });
              toast.success(isMe ? "You left the project" : `${member.name} removed`);
              if (isMe) {
                navigate("/", { replace: true });
                queryClient.removeQueries({ queryKey: trpc.projects.get.queryKey({ projectId }) });
              }
              void refresh();
            }}
          >
            Remove<span className="sr-only"> {member.name}</span>
          </ConfirmButton>
        </div>
      ) : (
        <Badge tone={member.role === "owner" ? "accent" : "neutral"}>{member.role}</Badge>
      )}
    </li>
  );
}

// Every account on the site, with what an administrator can change: role, ban, deletion.

import { useMutation, useQueryClient } from "@tanstack/react-query";
import { toast } from "sonner";
import { formatDateTime, formatRelative } from "../../lib/format";
import { useTRPC } from "../../lib/trpc";
import { useMe } from "../../lib/use-me";
import { Badge } from "../ui/badge";
import { Button } from "../ui/button";
import { ConfirmButton } from "../ui/dialog";
import { Cell, DataTable, Row, RowHeader } from "../ui/table";
import { type AdminUser, canManage, isBanned, userStatus } from "./admin-users";
import { BanUserDialog } from "./ban-user-dialog";

function UserActions({ user }: { user: AdminUser }) {
  const trpc = useTRPC();
  const queryClient = useQueryClient();
  const refresh = () => void queryClient.invalidateQueries({ queryKey: trpc.admin.pathKey() });
  const update = useMutation(trpc.admin.users.update.mutationOptions({ onSuccess: refresh }));
  const remove = useMutation(
    trpc.admin.users.delete.mutationOptions({
      onSuccess: () => {
        refresh();
        toast.success(`${user.name} deleted`);
      },
    }),
  );
  const promote = user.role !== "admin";

  return (
    <div className="flex flex-wrap justify-end gap-1">
      <ConfirmButton
        size="sm"
        variant="ghost"
        title={promote ? `Make ${user.name} an administrator?` : `Remove ${user.name}'s administrator role?`}
        description={
          promote
            ? "Administrators manage every account, global budgets and the site-wide emergency stop."
            : "They keep their account and projects but lose access to administration."
        }
        confirmLabel={promote ? "Make admin" : "Remove admin"}
        onConfirm={async () => {
          await update.mutateAsync({ userId: user.id, role: promote ? "admin" : "user" });
          toast.success(
            promote ? `${user.name} is now an administrator` : `${user.name} is no longer an administrator`,
          );
        }}
      >
        {promote ? "Make admin" : "Remove admin"}
        <span className="sr-only"> {user.name}</span>
      </ConfirmButton>
      {isBanned(user) ? (
        <Button
          size="sm"
          variant="ghost"
          busy={update.isPending && update.variables?.banned === false}
          onClick={() =>
            update.mutate(
              { userId: user.id, banned: false },
              { onSuccess: () => toast.success(`${user.name} can sign in again`) },
            )
          }
        >
          Unban<span className="sr-only"> {user.name}</span>
        </Button>
      ) : (
        <BanUserDialog
          user={user}
          onBanned={() => {
            refresh();
            toast.success(`${user.name} is banned`);
          }}
        />
      )}
      <ConfirmButton
        size="sm"
        variant="ghost"
        className="text-danger"
        title={`Delete ${user.name}?`}
        description="Their account and everything only they own are deleted; projects they share pass to another member. This cannot be undone."
        confirmLabel="Delete user"
        onConfirm={() => remove.mutateAsync({ userId: user.id })}
      >
        Delete<span className="sr-only"> {user.name}</span>
      </ConfirmButton>
    </div>
  );
}

export function UsersTable({ users }: { users: AdminUser[] }) {
  const me = useMe();
  return (
    <DataTable
      className="min-w-[60rem]"
      columns={[
        "Name",
        "Email",
        "Role",
        "Status",
        "Last login",
        "Projects",
        { label: "Actions", hidden: true },
      ]}
    >
      {users.map((user) => {
        const status = userStatus(user);
        return (
          <Row key={user.id}>
            <RowHeader>
              <span className="block">{user.name}</span>
              {user.username && (
                <span className="block text-xs font-normal text-muted">@{user.username}</span>
              )}
            </RowHeader>
            <Cell>
              {user.email}
              {!user.emailVerified && <span className="ml-1 text-xs text-muted">(unverified)</span>}
            </Cell>
            <Cell>
              <span className="flex flex-wrap gap-1">
                <Badge tone={user.role === "admin" ? "accent" : "neutral"}>
                  {user.role === "admin" ? "Admin" : "User"}
                </Badge>
                {user.twoFactorEnabled && <Badge tone="ok">2FA</Badge>}
              </span>
            </Cell>
            <Cell>
              <Badge tone={status.tone}>{status.label}</Badge>
              {status.detail && <span className="mt-0.5 block text-xs text-muted">{status.detail}</span>}
            </Cell>
            <Cell title={formatDateTime(user.lastLoginAt)}>{formatRelative(user.lastLoginAt)}</Cell>
            <Cell>{user.projectCount}</Cell>
            <Cell>
              {canManage(user, me.data?.id) ? (
                <UserActions user={user} />
              ) : (
                <span className="block text-right text-xs text-muted">You</span>
              )}
            </Cell>
          </Row>
        );
      })}
    </DataTable>
  );
}

// The devices signed in to this account; any but this one can be signed out from here.

import { useMutation, useQuery, useQueryClient } from "@tanstack/react-query";
import { toast } from "sonner";
import { formatDateTime, formatRelative } from "../../lib/format";
import { useTRPC } from "../../lib/trpc";
import { Badge } from "../ui/badge";
import { ConfirmButton } from "../ui/dialog";
import { Empty, QueryState } from "../ui/states";
import { Cell, DataTable, Row, RowHeader } from "../ui/table";

export function SessionsPanel() {
  const trpc = useTRPC();
  const queryClient = useQueryClient();
  const sessions = useQuery(trpc.auth.sessions.queryOptions());
  const revoke = useMutation(
    trpc.auth.revokeSession.mutationOptions({
      onSuccess: () => {
        void queryClient.invalidateQueries({ queryKey: trpc.auth.sessions.queryKey() });
        toast.success("Session revoked");
      },
    }),
  );

  return (
    <QueryState query={sessions} loading="Loading sessions…">
      {({ items }) =>
        items.length === 0 ? (
          <Empty title="No active sessions" />
        ) : (
          <DataTable
            className="min-w-[44rem]"
            columns={[
              "Device",
              "IP address",
              "Browser",
              "Last used",
              "Signed in",
              { label: "Actions", hidden: true },
            ]}
          >
            {items.map((session) => (
              <Row key={session.id}>
                <RowHeader>
                  <span className="flex flex-wrap items-center gap-2">
                    {session.device}
                    {session.current && <Badge tone="ok">This device</Badge>}
                  </span>
                </RowHeader>
                <Cell>{session.ipAddress ?? "—"}</Cell>
                <Cell className="max-w-64 truncate text-muted" title={session.userAgent ?? undefined}>
                  {session.userAgent ?? "—"}
                </Cell>
                <Cell title={formatDateTime(session.lastUsedAt)}>{formatRelative(session.lastUsedAt)}</Cell>
                <Cell>{formatDateTime(session.createdAt)}</Cell>
                <Cell className="text-right">
                  {/* This device signs out from the account menu, which also clears it locally. */}
                  {!session.current && (
                    <ConfirmButton
                      size="sm"
                      variant="secondary"
                      title="Revoke this session?"
                      description={`${session.device}${session.ipAddress ? ` (${session.ipAddress})` : ""} is signed out and has to sign in again.`}
                      confirmLabel="Revoke"
                      onConfirm={() => revoke.mutateAsync({ id: session.id })}
                    >
                      Revoke<span className="sr-only"> {session.device}</span>
                    </ConfirmButton>
                  )}
                </Cell>
              </Row>
            ))}
          </DataTable>
        )
      }
    </QueryState>
  );
}

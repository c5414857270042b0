// The signed-in user's API keys (never their secrets) and the way to create and revoke them.

import { useMutation, useQuery, useQueryClient } from "@tanstack/react-query";
import { toast } from "sonner";
import { formatDateTime, formatRelative } from "../../lib/format";
import { useTRPC } from "../../lib/trpc";
import { Badge } from "../ui/badge";
import { ConfirmButton } from "../ui/dialog";
import { Empty, QueryState } from "../ui/states";
import { Cell, DataTable, Row, RowHeader } from "../ui/table";
import { describeScopes } from "./api-key-access";
import { CreateApiKeyDialog } from "./create-api-key-dialog";
import { expiryLabel } from "./settings-helpers";

export function ApiKeysPanel() {
  const trpc = useTRPC();
  const queryClient = useQueryClient();
  const keys = useQuery(trpc.apiKeys.list.queryOptions());
  const revoke = useMutation(
    trpc.apiKeys.delete.mutationOptions({
      onSuccess: () => {
        void queryClient.invalidateQueries({ queryKey: trpc.apiKeys.pathKey() });
        toast.success("API key revoked");
      },
    }),
  );

  return (
    <div className="flex flex-col gap-4">
      <div className="flex flex-wrap items-center justify-between gap-3">
        <p className="max-w-xl text-sm text-muted">
          Keys let scripts and other tools use Crewdeck as you. Each is shown once, when it is created.
        </p>
        <CreateApiKeyDialog />
      </div>
      <QueryState query={keys} loading="Loading API keys…">
        {({ items }) =>
          items.length === 0 ? (
            <Empty title="No API keys">Create one to use the API from scripts, CI or other tools.</Empty>
          ) : (
            <DataTable
              className="min-w-[40rem]"
              columns={[
                "Name",
                "Key",
                "Access",
                "Created",
                "Last used",
                "Expires",
                { label: "Actions", hidden: true },
              ]}
            >
              {items.map((key) => (
                <Row key={key.id}>
                  <RowHeader>
                    <span className="flex flex-wrap items-center gap-2">
                      {key.name}
                      {!key.enabled && <Badge>Disabled</Badge>}
                    </span>
                  </RowHeader>
                  <Cell className="font-mono text-xs">{key.prefix}…</Cell>
                  <Cell>
                    {describeScopes(key.scopes)}
                    {key.projectId && <span className="block text-xs text-muted">One project</span>}
                  </Cell>
                  <Cell>{formatDateTime(key.createdAt)}</Cell>
                  <Cell title={formatDateTime(key.lastUsedAt)}>{formatRelative(key.lastUsedAt)}</Cell>
                  <Cell>{expiryLabel(key.expiresAt)}</Cell>
                  <Cell className="text-right">
                    <ConfirmButton
                      size="sm"
                      variant="secondary"
                      title={`Revoke “${key.name}”?`}
                      description="Anything using this key stops working at once. This cannot be undone."
                      confirmLabel="Revoke key"
                      onConfirm={() => revoke.mutateAsync({ id: key.id })}
                    >
                      Revoke<span className="sr-only"> {key.name}</span>
                    </ConfirmButton>
                  </Cell>
                </Row>
              ))}
            </DataTable>
          )
        }
      </QueryState>
    </div>
  );
}

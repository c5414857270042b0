// The GitHub webhook deliveries this server received, newest first, and what became of each; the payloads
// stay on the server.
import { useQuery } from "@tanstack/react-query";
import { useState } from "react";
import { formatDateTime, formatRelative } from "../../lib/format";
import { useTRPC } from "../../lib/trpc";
import { useLiveEvent } from "../../live/live-events";
import { Badge } from "../ui/badge";
import { Pager } from "../ui/pager";
import { Empty, QueryState } from "../ui/states";
import { Cell, DataTable, Row, RowHeader } from "../ui/table";
import { deliveryEvent, deliveryStatus } from "./webhook-deliveries";

const PAGE_SIZE = 20;

export function WebhookDeliveriesSection() {
  const trpc = useTRPC();
  const [page, setPage] = useState(1);
  const deliveries = useQuery(trpc.webhooks.deliveries.list.queryOptions({ page, limit: PAGE_SIZE }));
  // A processed delivery usually changes an issue or pull request: its outcome is worth showing at once.
  useLiveEvent("github_update", () => void deliveries.refetch());

  return (
    <section
      id="webhook-deliveries"
      aria-labelledby="webhook-deliveries-heading"
      className="flex flex-col gap-3"
    >
      <div>
        <h2 id="webhook-deliveries-heading" className="text-lg font-semibold">
          GitHub webhook deliveries{" "}
          {deliveries.data && (
            <span className="text-sm font-normal text-muted">({deliveries.data.total})</span>
          )}
        </h2>
        <p className="text-sm text-muted">
          What GitHub sent to <code>/api/v1/webhooks/github</code> and how each delivery was processed.
        </p>
      </div>
      <QueryState query={deliveries} loading="Loading the deliveries…">
        {(data) =>
          data.items.length === 0 ? (
            <Empty title="No deliveries yet">
              Point a GitHub webhook at this server with the configured secret; its deliveries appear here.
            </Empty>
          ) : (
            <>
              <DataTable className="min-w-[48rem]" columns={["Event", "Status", "Received", "Delivery"]}>
                {data.items.map((delivery) => {
                  const status = deliveryStatus(delivery.status);
                  return (
                    <Row key={delivery.id}>
                      <RowHeader>
                        <code className="text-xs">{deliveryEvent(delivery)}</code>
                      </RowHeader>
                      <Cell>
                        <Badge tone={status.tone}>{status.label}</Badge>
                        {delivery.error && (
                          <span className="mt-0.5 block max-w-md break-words text-xs text-danger">
                            {delivery.error}
                          </span>
                        )}
                      </Cell>
                      <Cell title={formatDateTime(delivery.receivedAt)}>
                        {formatRelative(delivery.receivedAt)}
                      </Cell>
                      <Cell>
                        <code className="text-xs text-muted">{delivery.deliveryId}</code>
                      </Cell>
                    </Row>
                  );
                })}
              </DataTable>
              <Pager page={data.page} pages={data.pages} onPage={setPage} label="Delivery pages" />
            </>
          )
        }
      </QueryState>
    </section>
  );
}

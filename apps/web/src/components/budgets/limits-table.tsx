// Every limit the viewer can see, with this period's spend against it, and the actions they may take.

import { useMutation, useQueryClient } from "@tanstack/react-query";
import { Pencil, Trash2 } from "lucide-react";
import { toast } from "sonner";
import { formatUsd } from "../../lib/format";
import { useTRPC } from "../../lib/trpc";
import { useMe } from "../../lib/use-me";
import { Badge } from "../ui/badge";
import { Button } from "../ui/button";
import { cn } from "../ui/cn";
import { ConfirmButton } from "../ui/dialog";
import { Cell, DataTable, Row, RowHeader } from "../ui/table";
import {
  ACTION_LABELS,
  type BudgetLimit,
  formatPercent,
  PERIOD_LABELS,
  scopeLabel,
  thresholdPercent,
} from "./budget-labels";
import { limitState } from "./budget-status";
import { LimitEditorDialog } from "./limit-editor-dialog";

function SpendCell({ limit }: { limit: BudgetLimit }) {
  const state = limitState(limit);
  const width = Math.min(100, Math.max(0, limit.percentage));
  return (
    <div className="flex min-w-36 flex-col gap-1">
      <span>
        {formatUsd(limit.spentUsd)} <span className="text-muted">({formatPercent(limit.percentage)})</span>
      </span>
      {/* The figure above says it in words; the bar is for the eye. */}
      <div aria-hidden className="h-1.5 w-full overflow-hidden rounded-full bg-subtle">
        <div
          className={cn(
            "h-full rounded-full",
            state === "exceeded" ? "bg-danger" : state === "warning" ? "bg-warn" : "bg-ok",
          )}
          style={{ width: `${width}%` }}
        />
      </div>
    </div>
  );
}

function StateBadge({ limit }: { limit: BudgetLimit }) {
  if (!limit.isActive) return <Badge>Inactive</Badge>;
  const state = limitState(limit);
  if (state === "exceeded") return <Badge tone="danger">Reached</Badge>;
  if (state === "warning") return <Badge tone="warn">Near limit</Badge>;
  return <Badge tone="ok">OK</Badge>;
}

function LimitActions({ limit }: { limit: BudgetLimit }) {
  const trpc = useTRPC();
  const queryClient = useQueryClient();
  const remove = useMutation(
    trpc.budgets.limits.delete.mutationOptions({
      onSuccess: () => {
        void queryClient.invalidateQueries({ queryKey: trpc.budgets.pathKey() });
        toast.success(`Limit “${limit.name}” deleted`);
      },
    }),
  );
  return (
    <div className="flex justify-end gap-1">
      <LimitEditorDialog
        limit={limit}
        trigger={
          <Button size="sm" variant="ghost" aria-label={`Edit ${limit.name}`}>
            <Pencil size={14} aria-hidden /> Edit
          </Button>
        }
      />
      <ConfirmButton
        size="sm"
        variant="ghost"
        title={`Delete “${limit.name}”?`}
        description="Spending in its scope is no longer limited or alerted on by it. This cannot be undone; to stop it for a while, edit it and make it inactive instead."
        confirmLabel="Delete limit"
        onConfirm={() => remove.mutateAsync({ limitId: limit.id })}
      >
        <Trash2 size={14} aria-hidden /> Delete<span className="sr-only"> {limit.name}</span>
      </ConfirmButton>
    </div>
  );
}

export function LimitsTable({ limits }: { limits: BudgetLimit[] }) {
  const me = useMe();
  const isAdmin = me.data?.role === "admin";
  return (
    <DataTable
      className="min-w-[56rem]"
      columns={[
        "Name",
        "Applies to",
        "Period",
        "Amount",
        "Spent",
        "Alert at",
        "When exceeded",
        { label: "Actions", hidden: true },
      ]}
    >
      {limits.map((limit) => (
        <Row key={limit.id}>
          <RowHeader>
            <div className="flex flex-wrap items-center gap-2">
              {limit.name} <StateBadge limit={limit} />
            </div>
          </RowHeader>
          <Cell>{scopeLabel(limit)}</Cell>
          <Cell>{PERIOD_LABELS[limit.period]}</Cell>
          <Cell>{formatUsd(limit.amountUsd)}</Cell>
          <Cell>
            <SpendCell limit={limit} />
          </Cell>
          <Cell>{thresholdPercent(limit.alertThreshold)}%</Cell>
          <Cell>{ACTION_LABELS[limit.actionOnExceed]}</Cell>
          <Cell>
            {/* Only administrators change global limits; the server answers for every other scope. */}
            {(limit.scopeType !== "global" || isAdmin) && <LimitActions limit={limit} />}
          </Cell>
        </Row>
      ))}
    </DataTable>
  );
}

// Budgets: what has been spent this period and the limits that alert on, pause or block spending.
import { useQuery } from "@tanstack/react-query";
import { Plus } from "lucide-react";
import { LimitEditorDialog } from "../../components/budgets/limit-editor-dialog";
import { LimitsTable } from "../../components/budgets/limits-table";
import { SpendSummary } from "../../components/budgets/spend-summary";
import { Button } from "../../components/ui/button";
import { Empty, QueryState } from "../../components/ui/states";
import { useTRPC } from "../../lib/trpc";
import { usePageTitle } from "../../lib/use-page-title";

export default function BudgetsPage() {
  usePageTitle("Budgets");
  const trpc = useTRPC();
  const summary = useQuery(trpc.budgets.summary.queryOptions());
  const limits = useQuery(trpc.budgets.limits.list.queryOptions({ limit: 100 }));
  const newLimit = (
    <Button variant="primary">
      <Plus size={16} aria-hidden /> New limit
    </Button>
  );

  return (
    <div className="mx-auto flex max-w-6xl flex-col gap-6 p-4 sm:p-6">
      <header className="flex flex-wrap items-start justify-between gap-3">
        <div>
          <h1 className="text-xl font-semibold">Budgets</h1>
          <p className="text-sm text-muted">Spending on model calls, and the limits that keep it in check.</p>
        </div>
        <LimitEditorDialog trigger={newLimit} />
      </header>

      <section aria-labelledby="spend-heading" className="flex flex-col gap-2">
        <h2 id="spend-heading" className="font-semibold">
          Spend
        </h2>
        <QueryState query={summary} loading="Loading spend…">
          {(data) => <SpendSummary summary={data} />}
        </QueryState>
      </section>

      <section aria-labelledby="limits-heading" className="flex flex-col gap-2">
        <h2 id="limits-heading" className="font-semibold">
          Limits
        </h2>
        <QueryState query={limits} loading="Loading limits…">
          {(page) =>
            page.items.length === 0 ? (
              <Empty title="No budget limits yet">
                A limit caps what model calls may cost per day, week or month — for a project, one agent,
                yourself or (administrators) everyone. It sends a warning at its alert threshold and, once
                reached, only warns, pauses the agents or blocks further calls, as you choose.
              </Empty>
            ) : (
              <>
                <LimitsTable limits={page.items} />
                {page.total > page.items.length && (
                  <p className="text-xs text-muted">
                    Showing the first {page.items.length} of {page.total} limits.
                  </p>
                )}
              </>
            )
          }
        </QueryState>
      </section>
    </div>
  );
}

// "New limit" and "Edit": one dialog for both. A new limit picks its scope (a project or one of its
// agents, the signed-in user, or everyone for administrators); an existing limit keeps its scope.
import { useMutation, useQuery, useQueryClient } from "@tanstack/react-query";
import { type FormEvent, type ReactNode, useId, useState } from "react";
import { toast } from "sonner";
import { describeError, type FieldError, fieldErrors } from "../../lib/errors";
import { useTRPC } from "../../lib/trpc";
import { useMe } from "../../lib/use-me";
import { Button } from "../ui/button";
import { Dialog } from "../ui/dialog";
import { SelectField, TextField } from "../ui/field";
import {
  ACTION_HINTS,
  ACTION_LABELS,
  type BudgetLimit,
  PERIOD_LABELS,
  SCOPE_TYPE_LABELS,
  scopeLabel,
} from "./budget-labels";
import {
  type LimitForm,
  limitFormFrom,
  newLimitForm,
  scopeTypeOptions,
  toCreateInput,
  toUpdateInput,
} from "./limit-form";

const PERIODS = Object.keys(PERIOD_LABELS) as LimitForm["period"][];
const ACTIONS = Object.keys(ACTION_LABELS) as LimitForm["actionOnExceed"][];

function ScopeFields({
  form,
  update,
  errorOf,
}: {
  form: LimitForm;
  update: (changes: Partial<LimitForm>) => void;
  errorOf: (field: string) => string | undefined;
}) {
  const trpc = useTRPC();
  const me = useMe();
  const isAdmin = me.data?.role === "admin";
  const needsProject = form.scopeType === "project" || form.scopeType === "agent";
  const projects = useQuery({ ...trpc.projects.list.queryOptions({ limit: 100 }), enabled: needsProject });
  const agents = useQuery({
    ...trpc.agents.list.queryOptions({ projectId: form.projectId }),
    enabled: form.scopeType === "agent" && form.projectId !== "",
  });
  // Only a project's owner may set its limits (administrators included), so only those are offered.
  const owned = projects.data?.items.filter((project) => project.role === "owner") ?? [];

  return (
    <>
      <SelectField
        label="Applies to"
        value={form.scopeType}
        onChange={(e) =>
          update({ scopeType: e.target.value as LimitForm["scopeType"], projectId: "", agentId: "" })
        }
      >
        {scopeTypeOptions(isAdmin).map((type) => (
          <option key={type} value={type}>
            {type === "user" ? "Me" : type === "global" ? "Everyone (global)" : SCOPE_TYPE_LABELS[type]}
          </option>
        ))}
      </SelectField>
      {needsProject && (
        <SelectField
          label="Project"
          value={form.projectId}
          onChange={(e) => update({ projectId: e.target.value, agentId: "" })}
          disabled={projects.isPending}
          error={
            errorOf(form.scopeType === "project" ? "scopeId" : "projectId") ??
            (projects.error ? describeError(projects.error) : undefined)
          }
          hint={
            projects.data && owned.length === 0
              ? "You own no projects: only a project's owner sets its limits."
              : undefined
          }
        >
          <option value="">{projects.isPending ? "Loading projects…" : "Choose a project"}</option>
          {owned.map((project) => (
            <option key={project.id} value={project.id}>
              {project.name}
            </option>
          ))}
        </SelectField>
      )}
      {form.scopeType === "agent" && (
        <SelectField
          label="Agent"
          value={form.agentId}
          onChange={(e) => update({ agentId: e.target.value })}
          disabled={!form.projectId || agents.isPending}
          error={errorOf("scopeId") ?? (agents.error ? describeError(agents.error) : undefined)}
        >
          <option value="">{form.projectId ? "Choose an agent" : "Choose a project first"}</option>
          {agents.data?.items.map((agent) => (
            <option key={agent.id} value={agent.id}>
              {agent.name}
            </option>
          ))}
        </SelectField>
      )}
      {form.scopeType === "user" && <p className="text-xs text-muted">Counts every model call you start.</p>}
      {form.scopeType === "global" && (
        <p className="text-xs text-muted">Counts every model call on this site.</p>
      )}
    </>
  );
}

export function LimitEditorDialog({ limit, trigger }: { limit?: BudgetLimit; trigger: ReactNode }) {
  const trpc = useTRPC();
  const queryClient = useQueryClient();
  const me = useMe();
  const [open, setOpen] = useState(false);
  const [form, setForm] = useState<LimitForm>(newLimitForm);
  const [clientErrors, setClientErrors] = useState<FieldError[]>([]);
  const activeHintId = useId();

  const done = (message: string) => {
    void queryClient.invalidateQueries({ queryKey: trpc.budgets.pathKey() });
    toast.success(message);
    setOpen(false);
  };
  // Field errors are shown next to the inputs instead of the default toast.
  const create = useMutation(
    trpc.budgets.limits.create.mutationOptions({
      onSuccess: (l) => done(`Limit “${l.name}” created`),
      onError: () => {},
    }),
  );
  const update = useMutation(
    trpc.budgets.limits.update.mutationOptions({
      onSuccess: (l) => done(`Limit “${l.name}” saved`),
      onError: () => {},
    }),
  );
  const mutation = limit ? update : create;
  const errors = [...clientErrors, ...fieldErrors(mutation.error)];
  const errorOf = (field: string) => errors.find((e) => e.field === field)?.message;
  // Errors about fields this form does not show (or not in this mode) go in the alert under the form.
  const placed = new Set(["name", "amountUsd", "period", "alertThreshold", "actionOnExceed"]);
  if (!limit && (form.scopeType === "project" || form.scopeType === "agent")) {
    placed.add("scopeId").add("projectId");
  }
  const unplaced = mutation.error && fieldErrors(mutation.error).some((e) => !placed.has(e.field));

  const openChange = (next: boolean) => {
    if (next) {
      setForm(limit ? limitFormFrom(limit) : newLimitForm());
      setClientErrors([]);
      create.reset();
      update.reset();
    }
    setOpen(next);
  };
  const change = (changes: Partial<LimitForm>) => setForm((current) => ({ ...current, ...changes }));

  const submit = (event: FormEvent) => {
    event.preventDefault();
    mutation.reset();
    if (limit) {
      const checked = toUpdateInput(form, limit.id);
      setClientErrors(checked.ok ? [] : checked.errors);
      if (checked.ok) update.mutate(checked.value);
    } else {
      const checked = toCreateInput(form, me.data?.id ?? "");
      setClientErrors(checked.ok ? [] : checked.errors);
      if (checked.ok) create.mutate(checked.value);
    }
  };

  return (
    <Dialog
      open={open}
      onOpenChange={openChange}
      trigger={trigger}
      title={limit ? `Edit “${limit.name}”` : "New limit"}
      description="Spend per period that an alert goes out at, and what happens when it is reached."
    >
      <form onSubmit={submit} noValidate className="flex flex-col gap-4">
        <TextField
          label="Name"
          value={form.name}
          onChange={(e) => change({ name: e.target.value })}
          placeholder="Website daily"
          maxLength={120}
          autoFocus
          error={errorOf("name")}
        />
        {limit ? (
          <p className="text-sm">
            <span className="font-medium">Applies to: </span>
            {scopeLabel(limit)} <span className="text-muted">(a limit's scope cannot change)</span>
          </p>
        ) : (
          <ScopeFields form={form} update={change} errorOf={errorOf} />
        )}
        <div className="grid gap-4 sm:grid-cols-2">
          <TextField
            label="Amount (USD)"
            type="number"
            inputMode="decimal"
            min="0.01"
            step="0.01"
            value={form.amountUsd}
            onChange={(e) => change({ amountUsd: e.target.value })}
            error={errorOf("amountUsd")}
          />
          <SelectField
            label="Period"
            value={form.period}
            onChange={(e) => change({ period: e.target.value as LimitForm["period"] })}
            error={errorOf("period")}
          >
            {PERIODS.map((period) => (
              <option key={period} value={period}>
                {PERIOD_LABELS[period]}
              </option>
            ))}
          </SelectField>
          <TextField
            label="Alert threshold (%)"
            type="number"
            inputMode="decimal"
            min="0"
            max="100"
            step="1"
            value={form.thresholdPercent}
            onChange={(e) => change({ thresholdPercent: e.target.value })}
            hint="A warning goes out when spend reaches this share of the amount."
            error={errorOf("alertThreshold")}
          />
          <SelectField
            label="When exceeded"
            value={form.actionOnExceed}
            onChange={(e) => change({ actionOnExceed: e.target.value as LimitForm["actionOnExceed"] })}
            hint={ACTION_HINTS[form.actionOnExceed]}
            error={errorOf("actionOnExceed")}
          >
            {ACTIONS.map((action) => (
              <option key={action} value={action}>
                {ACTION_LABELS[action]}
              </option>
            ))}
          </SelectField>
        </div>
        {limit && (
          <div>
            <label className="flex items-center gap-2 text-sm font-medium">
              <input
                type="checkbox"
                checked={form.isActive}
                onChange={(e) => change({ isActive: e.target.checked })}
                aria-describedby={activeHintId}
                className="h-4 w-4"
              />
              Active
            </label>
            <p id={activeHintId} className="text-xs text-muted">
              An inactive limit is kept but neither alerts nor stops anything.
            </p>
          </div>
        )}
        {mutation.error && (fieldErrors(mutation.error).length === 0 || unplaced) && (
          <p role="alert" className="text-sm text-danger">
            {describeError(mutation.error)}
          </p>
        )}
        <div className="flex justify-end gap-2">
          <Button onClick={() => setOpen(false)}>Cancel</Button>
          <Button type="submit" variant="primary" busy={mutation.isPending}>
            {limit ? "Save limit" : "Create limit"}
          </Button>
        </div>
      </form>
    </Dialog>
  );
}

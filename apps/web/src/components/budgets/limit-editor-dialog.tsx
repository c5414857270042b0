// "New limit" and "Edit": one dialog for both. A new limit picks its scope (a project or one of its
// agents, the signed-in user, or everyone for administrators); an existing limit keeps its scope.
import { useMutation, useQuery, useQueryClient } from "@tanstack/react-query";
import { type ReactNode, useId, useMemo, useState } from "react";
import { type UseFormReturn, useForm } from "react-hook-form";
import { toast } from "sonner";
import { describeError } from "../../lib/errors";
import { inputResolver } from "../../lib/schema-form";
import { type RouterInputs, useTRPC } from "../../lib/trpc";
import { useMe } from "../../lib/use-me";
import { FormProjectSelectField } from "../projects/project-select-field";
import { FormDialog } from "../ui/form-dialog";
import { FormSelectField, FormTextField } from "../ui/form-field";
import {
  ACTION_HINTS,
  ACTION_LABELS,
  type BudgetLimit,
  PERIOD_LABELS,
  SCOPE_TYPE_LABELS,
  scopeLabel,
} from "./budget-labels";
import {
  type CreateLimitInput,
  type LimitForm,
  limitField,
  limitFormFrom,
  newLimitForm,
  scopeTypeOptions,
  toCreateInput,
  toUpdateInput,
} from "./limit-form";

type Input = CreateLimitInput | RouterInputs["budgets"]["limits"]["update"];

const PERIODS = Object.keys(PERIOD_LABELS) as LimitForm["period"][];
const ACTIONS = Object.keys(ACTION_LABELS) as LimitForm["actionOnExceed"][];
const NUMBER_INPUT = { type: "number", inputMode: "decimal" } as const;

function ScopeFields({ form }: { form: UseFormReturn<LimitForm, unknown, unknown> }) {
  const trpc = useTRPC();
  const me = useMe();
  const isAdmin = me.data?.role === "admin";
  const scopeType = form.watch("scopeType");
  const projectId = form.watch("projectId");
  const agents = useQuery({
    ...trpc.agents.list.queryOptions({ projectId }),
    enabled: scopeType === "agent" && projectId !== "",
  });
  const clearScope = () => {
    form.setValue("projectId", "");
    form.setValue("agentId", "");
  };

  return (
    <>
      <FormSelectField
        form={form}
        name="scopeType"
        options={{ onChange: clearScope }}
        label="Applies to"
        choices={scopeTypeOptions(isAdmin)}
        choiceLabel={(type) =>
          type === "user" ? "Me" : type === "global" ? "Everyone (global)" : SCOPE_TYPE_LABELS[type]
        }
      />
      {(scopeType === "project" || scopeType === "agent") && (
        <FormProjectSelectField
          form={form}
          name="projectId"
          label="Project"
          onPick={() => form.setValue("agentId", "")}
          include={owned}
          leading={CHOOSE_PROJECT}
          hint="Only a project's owner sets its limits."
        />
      )}
      {scopeType === "agent" && (
        <FormSelectField
          form={form}
          name="agentId"
          label="Agent"
          disabled={!projectId || agents.isPending}
          error={agents.error ? describeError(agents.error) : undefined}
        >
          <option value="">{projectId ? "Choose an agent" : "Choose a project first"}</option>
          {agents.data?.items.map((agent) => (
            <option key={agent.id} value={agent.id}>
              {agent.name}
            </option>
          ))}
        </FormSelectField>
      )}
      {scopeType === "user" && <p className="text-xs text-muted">Counts every model call you start.</p>}
      {scopeType === "global" && <p className="text-xs text-muted">Counts every model call on this site.</p>}
    </>
  );
}

// Only a project's owner may set its limits (administrators included), so only those are offered.
const owned = (project: { role: string }) => project.role === "owner";
const CHOOSE_PROJECT = [{ value: "", label: "Choose a project" }];

export function LimitEditorDialog({ limit, trigger }: { limit?: BudgetLimit; trigger: ReactNode }) {
  const trpc = useTRPC();
  const queryClient = useQueryClient();
  const me = useMe();
  const [open, setOpen] = useState(false);
  const activeHintId = useId();
  const myUserId = me.data?.id ?? "";
  const form = useForm<LimitForm, unknown, Input>({
    defaultValues: newLimitForm(),
    // Checked by the server's schema and the scope rules, for this limit (or a new one) and this person.
    resolver: (values, context, options) =>
      inputResolver<LimitForm, Input>(
        (v) => (limit ? toUpdateInput(v, limit.id) : toCreateInput(v, myUserId)),
        limitField(limit !== undefined, values),
      )(values, context, options),
  });
  const scopeType = form.watch("scopeType");
  const fieldOf = useMemo(() => limitField(limit !== undefined, { scopeType }), [limit, scopeType]);

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

  return (
    <FormDialog
      open={open}
      onOpenChange={setOpen}
      initialValues={limit ? limitFormFrom(limit) : newLimitForm()}
      // The dialog sends only one of the two; the other is forgotten too, as the one it sends is.
      onOpen={() => (limit ? create : update).reset()}
      trigger={trigger}
      title={limit ? `Edit “${limit.name}”` : "New limit"}
      description="Spend per period that an alert goes out at, and what happens when it is reached."
      form={form}
      fieldOf={fieldOf}
      onSubmit={(input) => {
        mutation.reset();
        if ("limitId" in input) update.mutate(input);
        else create.mutate(input);
      }}
      request={mutation}
      submitLabel={limit ? "Save limit" : "Create limit"}
      noValidate
    >
      <FormTextField
        form={form}
        name="name"
        label="Name"
        placeholder="Website daily"
        maxLength={120}
        autoFocus
      />
      {limit ? (
        <p className="text-sm">
          <span className="font-medium">Applies to: </span>
          {scopeLabel(limit)} <span className="text-muted">(a limit's scope cannot change)</span>
        </p>
      ) : (
        <ScopeFields form={form} />
      )}
      <div className="grid gap-4 sm:grid-cols-2">
        <FormTextField
          form={form}
          name="amountUsd"
          label="Amount (USD)"
          {...NUMBER_INPUT}
          min="0.01"
          step="0.01"
        />
        <FormSelectField
          form={form}
          name="period"
          label="Period"
          choices={PERIODS}
          choiceLabel={(period) => PERIOD_LABELS[period]}
        />
        <FormTextField
          form={form}
          name="thresholdPercent"
          label="Alert threshold (%)"
          {...NUMBER_INPUT}
          min="0"
          max="100"
          step="1"
          hint="A warning goes out when spend reaches this share of the amount."
        />
        <FormSelectField
          form={form}
          name="actionOnExceed"
          label="When exceeded"
          hint={ACTION_HINTS[form.watch("actionOnExceed")]}
          choices={ACTIONS}
          choiceLabel={(action) => ACTION_LABELS[action]}
        />
      </div>
      {limit && (
        <div>
          <label className="flex items-center gap-2 text-sm font-medium">
            <input
              type="checkbox"
              {...form.register("isActive")}
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
    </FormDialog>
  );
}

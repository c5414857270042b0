// The budget limit editor's state, checked before it is sent: the same field names as the API, so the
// server's field errors land next to the same inputs as these.
import type { FieldError } from "../../lib/errors";
import type { RouterInputs } from "../../lib/trpc";
import type { BudgetAction, BudgetLimit, BudgetPeriod, ScopeType } from "./budget-labels";
import { thresholdPercent } from "./budget-labels";

export type LimitForm = {
  name: string;
  scopeType: ScopeType;
  /** The project of a project limit, or the project whose agent an agent limit is for. */
  projectId: string;
  agentId: string;
  amountUsd: string;
  period: BudgetPeriod;
  thresholdPercent: string;
  actionOnExceed: BudgetAction;
  isActive: boolean;
};

export type CreateLimitInput = RouterInputs["budgets"]["limits"]["create"];
type LimitSettings = Required<Omit<CreateLimitInput, "scopeType" | "scopeId">>;

/** Global limits are for administrators; everyone may limit their projects, agents and themselves. */
export const scopeTypeOptions = (isAdmin: boolean): ScopeType[] =>
  isAdmin ? ["project", "agent", "user", "global"] : ["project", "agent", "user"];

export const newLimitForm = (): LimitForm => ({
  name: "",
  scopeType: "project",
  projectId: "",
  agentId: "",
  amountUsd: "",
  period: "daily",
  thresholdPercent: "80",
  actionOnExceed: "warn",
  isActive: true,
});

export const limitFormFrom = (limit: BudgetLimit): LimitForm => ({
  name: limit.name,
  scopeType: limit.scopeType,
  projectId: limit.scopeType === "project" ? (limit.scopeId ?? "") : "",
  agentId: limit.scopeType === "agent" ? (limit.scopeId ?? "") : "",
  amountUsd: String(limit.amountUsd),
  period: limit.period,
  thresholdPercent: String(thresholdPercent(limit.alertThreshold)),
  actionOnExceed: limit.actionOnExceed,
  isActive: limit.isActive,
});

/** The id the scope refers to: the project, the agent, the signed-in user, or none for global. */
export function scopeIdOf(form: LimitForm, myUserId: string): string | null {
  switch (form.scopeType) {
    case "global":
      return null;
    case "user":
      return myUserId;
    case "project":
      return form.projectId || null;
    case "agent":
      return form.agentId || null;
  }
}

type Checked<T> = { ok: true; value: T } | { ok: false; errors: FieldError[] };

function checkSettings(form: LimitForm): Checked<LimitSettings> {
  const errors: FieldError[] = [];
  const name = form.name.trim();
  if (!name) errors.push({ field: "name", message: "Give the limit a name" });
  else if (name.length > 120) errors.push({ field: "name", message: "At most 120 characters" });
  const amount = Number(form.amountUsd);
  if (form.amountUsd.trim() === "" || !Number.isFinite(amount) || amount <= 0) {
    errors.push({ field: "amountUsd", message: "An amount in USD greater than 0" });
  } else if (amount > 1_000_000_000) {
    errors.push({ field: "amountUsd", message: "At most 1,000,000,000 USD" });
  }
  const threshold = Number(form.thresholdPercent);
  if (
    form.thresholdPercent.trim() === "" ||
    !Number.isFinite(threshold) ||
    threshold < 0 ||
    threshold > 100
  ) {
    errors.push({ field: "alertThreshold", message: "A percentage from 0 to 100" });
  }
  if (errors.length > 0) return { ok: false, errors };
  return {
    ok: true,
    value: {
      name,
      amountUsd: amount,
      period: form.period,
      alertThreshold: threshold / 100,
      actionOnExceed: form.actionOnExceed,
    },
  };
}

export function toCreateInput(form: LimitForm, myUserId: string): Checked<CreateLimitInput> {
  const settings = checkSettings(form);
  const errors = settings.ok ? [] : [...settings.errors];
  const scopeId = scopeIdOf(form, myUserId);
  if (form.scopeType === "agent" && !form.projectId) {
    errors.push({ field: "projectId", message: "Choose the agent's project" });
  } else if (form.scopeType !== "global" && !scopeId) {
    errors.push({ field: "scopeId", message: `Choose the ${form.scopeType}` });
  }
  if (!settings.ok || errors.length > 0) return { ok: false, errors };
  return {
    ok: true,
    value: { ...settings.value, scopeType: form.scopeType, ...(scopeId ? { scopeId } : {}) },
  };
}

/** The scope of a limit cannot change; everything else can, including pausing it. */
export function toUpdateInput(
  form: LimitForm,
  limitId: string,
): Checked<RouterInputs["budgets"]["limits"]["update"]> {
  const settings = checkSettings(form);
  if (!settings.ok) return settings;
  return { ok: true, value: { limitId, ...settings.value, isActive: form.isActive } };
}

// The budget limit editor's state, checked before it is sent: the same field names as the API, so the
// server's field errors land next to the same inputs as these.
import { zCreateLimitInput, zUpdateLimitInput } from "@crewdeck/api/schemas";
import type { FieldError } from "../../lib/errors";
import { type Checked, checkInput, type FieldOf, typedNumber } from "../../lib/schema-form";
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
type UpdateLimitInput = RouterInputs["budgets"]["limits"]["update"];

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

/** Rules of the form alone: which scope it is for must be chosen (the API allows none for global limits). */
function scopeErrors(form: LimitForm, scopeId: string | null): FieldError[] {
  if (form.scopeType === "agent" && !form.projectId) {
    return [{ field: "projectId", message: "Choose the agent's project" }];
  }
  if (form.scopeType !== "global" && !scopeId) {
    return [{ field: "scopeId", message: `Choose the ${form.scopeType}` }];
  }
  return [];
}

/** The settings every limit has, as the API takes them (a threshold in percent becomes a fraction). */
const settingsOf = (form: LimitForm) => ({
  name: form.name,
  amountUsd: typedNumber(form.amountUsd),
  period: form.period,
  alertThreshold: typedNumber(form.thresholdPercent) / 100,
  actionOnExceed: form.actionOnExceed,
});

/** The new limit, checked by the server's own schema and the form's scope rules. */
export function toCreateInput(form: LimitForm, myUserId: string): Checked<CreateLimitInput> {
  const scopeId = scopeIdOf(form, myUserId);
  const checked = checkInput(zCreateLimitInput, {
    ...settingsOf(form),
    scopeType: form.scopeType,
    ...(scopeId ? { scopeId } : {}),
  });
  const errors = [...(checked.ok ? [] : checked.errors), ...scopeErrors(form, scopeId)];
  if (!checked.ok || errors.length > 0) return { ok: false, errors };
  return checked;
}

/** The scope of a limit cannot change; everything else can, including pausing it. */
export function toUpdateInput(form: LimitForm, limitId: string): Checked<UpdateLimitInput> {
  return checkInput(zUpdateLimitInput, { limitId, ...settingsOf(form), isActive: form.isActive });
}

/** Where an error about an API field is shown; `scopeId` and `projectId` only while the scope is chosen. */
export const limitField =
  (editing: boolean, form: Pick<LimitForm, "scopeType">): FieldOf<LimitForm> =>
  (field) => {
    if (field === "alertThreshold") return "thresholdPercent";
    if (["name", "amountUsd", "period", "actionOnExceed"].includes(field)) return field as keyof LimitForm;
    if (editing || (form.scopeType !== "project" && form.scopeType !== "agent")) return null;
    if (field === "projectId") return "projectId";
    if (field === "scopeId") return form.scopeType === "project" ? "projectId" : "agentId";
    return null;
  };

// What a spending limit covers, how it counts, what it does when reached, and its alerts.
export const BUDGET_SCOPE_TYPES = ["global", "user", "project", "agent"] as const;
export const BUDGET_PERIODS = ["daily", "weekly", "monthly"] as const;
export const BUDGET_ACTIONS = ["warn", "pause", "block"] as const;
export const BUDGET_RESERVATION_STATUSES = ["held", "settled", "released"] as const;
export const BUDGET_ALERT_LEVELS = ["warning", "critical"] as const;

export type BudgetScopeType = (typeof BUDGET_SCOPE_TYPES)[number];
export type BudgetPeriod = (typeof BUDGET_PERIODS)[number];
export type BudgetAction = (typeof BUDGET_ACTIONS)[number];
export type BudgetReservationStatus = (typeof BUDGET_RESERVATION_STATUSES)[number];
export type BudgetAlertLevel = (typeof BUDGET_ALERT_LEVELS)[number];

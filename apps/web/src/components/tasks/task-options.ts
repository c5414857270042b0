// The words for a task's status, priority, type and complexity. The values and their order come from
// @crewdeck/domain, as the server stores them; the `satisfies Record<…>` ties each label table to the API's
// enum, so a value added on the server fails the build here until it has a label.
import {
  TASK_COMPLEXITIES,
  TASK_PRIORITIES,
  TASK_STATUSES,
  TASK_TYPES,
  taskMovesFrom,
} from "@crewdeck/domain";
import type { RouterOutputs } from "../../lib/trpc";

export type Task = RouterOutputs["tasks"]["get"];
export type TaskListItem = RouterOutputs["tasks"]["list"]["items"][number];
export type TaskStatus = Task["status"];
export type TaskPriority = Task["priority"];
export type TaskType = Task["type"];
export type TaskComplexity = Task["complexity"];

const STATUS_LABELS = {
  backlog: "Backlog",
  pending: "Pending",
  in_progress: "In progress",
  testing: "Testing",
  review: "Review",
  completed: "Completed",
  failed: "Failed",
  cancelled: "Cancelled",
} as const satisfies Record<TaskStatus, string>;

const PRIORITY_LABELS = {
  low: "Low",
  medium: "Medium",
  high: "High",
  urgent: "Urgent",
} as const satisfies Record<TaskPriority, string>;

const TYPE_LABELS = {
  feature: "Feature",
  bug: "Bug",
  enhancement: "Enhancement",
  documentation: "Documentation",
  testing: "Testing",
  debug: "Debug",
  ask: "Question",
} as const satisfies Record<TaskType, string>;

const COMPLEXITY_LABELS = {
  simple: "Simple",
  moderate: "Moderate",
  complex: "Complex",
  expert: "Expert",
} as const satisfies Record<TaskComplexity, string>;

/** TASK_STATUSES are the board's columns, left to right: the flow of work, then the two ways it can end early. */
export { TASK_COMPLEXITIES, TASK_PRIORITIES, TASK_STATUSES, TASK_TYPES };

export const statusLabel = (status: TaskStatus) => STATUS_LABELS[status];
export const priorityLabel = (priority: TaskPriority) => PRIORITY_LABELS[priority];
export const typeLabel = (type: TaskType) => TYPE_LABELS[type];
export const complexityLabel = (complexity: TaskComplexity) => COMPLEXITY_LABELS[complexity];

export const isTaskStatus = (value: string | null): value is TaskStatus => !!value && value in STATUS_LABELS;
export const isTaskPriority = (value: string | null): value is TaskPriority =>
  !!value && value in PRIORITY_LABELS;

/**
 * The current status first (so a select shows it), then the moves the server allows, in board order. The
 * server still decides: a refused move comes back as a 409 shown in words.
 */
export function statusChoices(current: TaskStatus): TaskStatus[] {
  const allowed = new Set(taskMovesFrom("person", current));
  return [current, ...TASK_STATUSES.filter((status) => allowed.has(status))];
}

/** "Mark complete" is refused by the server for these. */
export const canComplete = (status: TaskStatus) => status !== "completed" && status !== "cancelled";

/** Urgent and high stand out; the rest stay quiet so the board does not shout. */
export function priorityTone(priority: TaskPriority): "danger" | "warn" | "neutral" {
  if (priority === "urgent") return "danger";
  if (priority === "high") return "warn";
  return "neutral";
}

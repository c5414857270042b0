import { TASK_STATUSES, type TaskStatus } from "./task-options";

export type StatusColumn<T> = { status: TaskStatus; tasks: T[] };

/**
 * The board's columns in flow order, each with its tasks in the order given (the API's newest first).
 * Every status gets a column, empty or not, so cards do not jump sideways as work moves; with a status
 * filter, only that column.
 */
export function groupTasksByStatus<T extends { status: TaskStatus }>(
  tasks: readonly T[],
  only: TaskStatus | null = null,
): StatusColumn<T>[] {
  const byStatus = new Map<TaskStatus, T[]>(TASK_STATUSES.map((status) => [status, []]));
  for (const task of tasks) byStatus.get(task.status)?.push(task);
  return TASK_STATUSES.filter((status) => !only || status === only).map((status) => ({
    status,
    tasks: byStatus.get(status) ?? [],
  }));
}

// Runs of a task through its crew, and their steps: the statuses and the moves between them. Only the
// engine moves runs and steps (a person's cancel or an emergency stop asks the engine to).
import { canMove, type Moves } from "./moves";

export const RUN_STATUSES = [
  "queued",
  "running",
  "paused",
  "completed",
  "failed",
  "cancelled",
  "interrupted",
] as const;
export const RUN_STEP_STATUSES = [
  "pending",
  "running",
  "completed",
  "failed",
  "skipped",
  "cancelled",
] as const;

export type RunStatus = (typeof RUN_STATUSES)[number];
export type RunStepStatus = (typeof RUN_STEP_STATUSES)[number];

/** A run created is queued; a step created is pending. */
export const INITIAL_RUN_STATUS = "queued" satisfies RunStatus;
export const INITIAL_STEP_STATUS = "pending" satisfies RunStepStatus;

/**
 * A run's moves. Queued until its step is claimed, then running; each step claimed sets running again.
 * Paused (an agent or emergency stop) from queued or running, and resumed to queued. It ends completed
 * (its last step finished), failed (a step failed), cancelled (a person cancelled it) or interrupted (the
 * server restarted and the run could not go on); ended runs never move again.
 */
export const RUN_MOVES: Moves<RunStatus> = {
  queued: ["running", "paused", "failed", "cancelled", "interrupted"],
  running: ["completed", "paused", "failed", "cancelled", "interrupted"],
  paused: ["queued", "failed", "cancelled"],
  completed: [],
  failed: [],
  cancelled: [],
  interrupted: [],
};

/**
 * A step's moves. Pending until claimed, then running. A pause or a restart puts a running step back to
 * pending (its checkpoint kept, so it goes on where it stopped). It ends completed, failed (its run failed
 * or was interrupted) or cancelled (its run was cancelled, whether the step had started or not).
 */
export const STEP_MOVES: Moves<RunStepStatus> = {
  pending: ["running", "cancelled"],
  running: ["completed", "pending", "failed", "cancelled"],
  completed: [],
  failed: [],
  skipped: [],
  cancelled: [],
};

/** A run that may still change: it can be cancelled, and another start on its task is refused. */
export const ACTIVE_RUN_STATUSES = ["queued", "running", "paused"] as const satisfies readonly RunStatus[];

export const isRunActive = (status: RunStatus | null | undefined): boolean =>
  !!status && (ACTIVE_RUN_STATUSES as readonly RunStatus[]).includes(status);

export const canMoveRun = (from: RunStatus, to: RunStatus): boolean => canMove(RUN_MOVES, from, to);
export const canMoveStep = (from: RunStepStatus, to: RunStepStatus): boolean => canMove(STEP_MOVES, from, to);

export const RUN_LOG_LEVELS = ["debug", "info", "warn", "error"] as const;
export const EVENT_TYPES = [
  "message",
  "message_delta",
  "message_deleted",
  "agent_typing",
  "agent_status",
  "agent_action",
  "task_progress",
  "pipeline_update",
  "task_completed",
  "budget_alert",
  "notification",
  "emergency_pause",
  "emergency_resume",
  "error",
  "github_update",
] as const;

export type RunLogLevel = (typeof RUN_LOG_LEVELS)[number];
export type EventType = (typeof EVENT_TYPES)[number];

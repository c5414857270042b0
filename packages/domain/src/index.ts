// Crewdeck's domain rules, free of server code so every layer shares them: the enums the database stores
// and the screens show, the transition tables of task, run and step statuses (the engine writes through
// them, the API checks a person's moves against them, the web app offers only the moves they allow), and
// member role ranks, and the page sizes and date format of the API's lists.

export { AGENT_ROLES, AGENT_STATUSES, type AgentRole, type AgentStatus } from "./agents";
export { API_KEY_SCOPES, type ApiKeyScope, DEFAULT_API_KEY_SCOPES } from "./api-keys";
export { AUDIT_ACTIONS, type AuditAction } from "./audit";
export {
  BUDGET_ACTIONS,
  BUDGET_ALERT_LEVELS,
  BUDGET_PERIODS,
  BUDGET_RESERVATION_STATUSES,
  BUDGET_SCOPE_TYPES,
  type BudgetAction,
  type BudgetAlertLevel,
  type BudgetPeriod,
  type BudgetReservationStatus,
  type BudgetScopeType,
} from "./budgets";
export { CSS_COLOUR_NAMES, type CssColourName } from "./colours";
export {
  CONVERSATION_STATUSES,
  CONVERSATION_TYPES,
  type ConversationStatus,
  type ConversationType,
  MESSAGE_AUTHOR_TYPES,
  MESSAGE_STATUSES,
  type MessageAuthorType,
  type MessageStatus,
} from "./conversations";
export { iso, isoOrNull } from "./dates";
export {
  CHECKS_STATUSES,
  type ChecksStatus,
  ISSUE_STATES,
  type IssueState,
  PULL_REQUEST_STATES,
  type PullRequestState,
  WEBHOOK_DELIVERY_STATUSES,
  type WebhookDeliveryStatus,
} from "./github";
export { PREFERENCES_MAX_BYTES, PREFERENCES_MAX_DEPTH, TRPC_MAX_BATCH_SIZE } from "./limits";
export { canMove, finalStatuses, type Moves, movesFrom, movesInto } from "./moves";
export {
  NOTIFICATION_KINDS,
  NOTIFICATION_SEVERITIES,
  type NotificationKind,
  type NotificationSeverity,
  notificationKindOf,
} from "./notifications";
export { DEFAULT_PAGE_LIMIT, MAX_PAGE_LIMIT } from "./pagination";
export {
  MEMBER_ROLES,
  type MemberRole,
  PROJECT_STATUSES,
  PROJECT_TYPES,
  type ProjectStatus,
  type ProjectType,
  REPOSITORY_TYPES,
  type RepositoryType,
  roleAtLeast,
  SYNC_STATUSES,
  type SyncStatus,
} from "./projects";
export { MODEL_PROVIDERS, type ModelProviderName } from "./providers";
export {
  ACTIVE_RUN_STATUSES,
  canMoveRun,
  canMoveStep,
  EVENT_TYPES,
  type EventType,
  INITIAL_RUN_STATUS,
  INITIAL_STEP_STATUS,
  isRunActive,
  RUN_LOG_LEVELS,
  RUN_MOVES,
  RUN_STATUSES,
  RUN_STEP_STATUSES,
  type RunLogLevel,
  type RunStatus,
  type RunStepStatus,
  STEP_MOVES,
} from "./runs";
export { SIGNUP_MODES, type SignupMode } from "./site";
export {
  canMoveTask,
  TASK_COMPLEXITIES,
  TASK_MOVES,
  TASK_PRIORITIES,
  TASK_RESULT_TYPES,
  TASK_STATUSES,
  TASK_TYPES,
  type TaskComplexity,
  type TaskMover,
  type TaskPriority,
  type TaskResultType,
  type TaskStatus,
  type TaskType,
  taskMovesFrom,
} from "./tasks";
export {
  isTimeZone,
  USAGE_GRANULARITIES,
  USAGE_GROUP_BYS,
  type UsageGranularity,
  type UsageGroupBy,
} from "./usage";

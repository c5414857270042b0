// Crewdeck's domain rules, free of server code so every layer shares them: the enums the database stores
// and the screens show, the transition tables of task, run and step statuses (the engine writes through
// them, the API checks a person's moves against them, the web app offers only the moves they allow), and
// member role ranks.
export { AGENT_ROLES, AGENT_STATUSES, type AgentRole, type AgentStatus } from "./agents";
export { canMove, finalStatuses, type Moves, movesFrom, movesInto } from "./moves";
export { NOTIFICATION_SEVERITIES, type NotificationSeverity } from "./notifications";
export {
  MEMBER_ROLES,
  type MemberRole,
  PROJECT_STATUSES,
  PROJECT_TYPES,
  type ProjectStatus,
  type ProjectType,
  roleAtLeast,
} from "./projects";
export {
  ACTIVE_RUN_STATUSES,
  canMoveRun,
  canMoveStep,
  INITIAL_RUN_STATUS,
  INITIAL_STEP_STATUS,
  isRunActive,
  RUN_MOVES,
  RUN_STATUSES,
  RUN_STEP_STATUSES,
  type RunStatus,
  type RunStepStatus,
  STEP_MOVES,
} from "./runs";
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

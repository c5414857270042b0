// The engine's public surface: what the API and the server may call. Everything else in this package is
// internal, so the engine can reshape its insides without the API noticing.

export { dailySpendCapUsd } from "./budgets/daily-cap";
// Budgets and spend.
export { budgetAlertMessage, describeLimitScope } from "./budgets/describe";
export { enforceBudgets } from "./budgets/enforce";
export { periodStart } from "./budgets/periods";
export { closeAbandonedReservations } from "./budgets/reservations";
export { measureLimitSpend, percentOf } from "./budgets/spend";
// Agents answering in chat.
export { recoverChatReplies } from "./chat/recover-replies";
export {
  cancelReplies,
  planReplies,
  type ReplyPlan,
  STOP_REASON,
  startReplies,
  stopConversationReplies,
} from "./chat/reply";
// Agents that change code: task workspaces, their tools, the review loop.
export type { CodeDeps } from "./code/code-deps";
export {
  isRevisionRun,
  REVISION_INSTRUCTIONS_PREFIX,
  type StartRevisionRunInput,
  startRevisionRun,
} from "./code/revision-run";
export { releaseTaskWorkspace, removeTaskWorkspace, sweepTaskWorkspaces } from "./code/sweep-task-workspaces";
// Messages as the API shows them.
export {
  type AgentRefDto,
  loadMessageDtos,
  type MessageDto,
  selectMessages,
  toMessageDtos,
} from "./conversations/message-dto";
export { type PublishMessageOptions, publishMessage } from "./conversations/message-events";
// Building the engine and its collaborators.
export { createEngine, type EngineQueueOptions } from "./create-engine";
// The emergency stop.
export { type EmergencyScope, emergencyStatus, pauseAll, resumeAll } from "./emergency/emergency";
export type { Engine, StoredFileReader } from "./engine";
export type { EngineDeps, EngineLogger } from "./engine-deps";
export { EngineError } from "./errors";
// Live events and who may see them.
export { type EventBus, EventIdError } from "./events/bus";
export { createDatabaseEventBus, type DatabaseEventBus } from "./events/database-event-bus";
export {
  createEventOutbox,
  type EventOutbox,
  type EventPublisher,
  outboxPublisher,
  stageEvent,
  transactionWithEvents,
} from "./events/outbox";
export { publishNotification } from "./events/publish-notification";
export {
  createRedisEventBus,
  type EventRetention,
  type RedisEventBus,
  type RedisEventBusOptions,
} from "./events/redis-event-bus";
export { conversationScope, taskScope } from "./events/scopes";
export type { AnyBusEvent, BusEvent, EventType } from "./events/types";
export { createEventVisibility, type EventVisibility } from "./events/visibility";
// The architect filing tasks for a GitHub issue.
export {
  type IssueForPlanning,
  type IssueTask,
  type IssueTasksOutput,
  type IssueTasksReply,
  issueTasksRequest,
  parseIssueTasks,
  startIssueTaskPlanning,
} from "./issues/issue-tasks";
export { seedModelCatalog } from "./models/catalog";
// Notifications.
export { type NotificationDto, toNotificationDto } from "./notifications/notification-dto";
export {
  type NotificationInput,
  type NotifyOptions,
  notifyProjectMembers,
  notifyUser,
  type OnNotificationCreated,
} from "./notifications/notify";
// Model providers and their settings.
export {
  clearProviderSettings,
  describeProviders,
  type ModelProviderName,
  type ProviderEnvironment,
  type ProviderSettingsChange,
  setProviderSettings,
} from "./providers/provider-settings";
export { createProviderRegistry } from "./providers/registry";
export type { QueueState } from "./queue/bullmq-executor";
export { createRedisConnection, type Redis } from "./redis/connection";
// The crew's roles.
export { DEFAULT_CREW, defaultModelConfigFor, ROLE_CATALOG } from "./roles/catalog";
export { type TaskProgress, taskProgress } from "./runs/progress";
// Runs of the crew over a task.
export { resumeInterruptedRuns } from "./runs/resume-runs";
export { cancelRun, resumePausedRuns } from "./runs/run-control";
export { publishAgentStatus } from "./runs/run-events";
export { latestRun, loadRunView } from "./runs/run-view";
export { type StartRunInput, startRun } from "./runs/start-run";
export { queueStrandedSteps } from "./runs/step-sweep";
export type { SandboxMode } from "./sandbox/run-command";
export { createDefaultToolRegistry } from "./tools/default-tools";
export type { ToolRegistry } from "./tools/registry";
export { createGitRunner, type GitRunner } from "./workspaces/git-runner";
export { createWorkspaceManager, type WorkspaceManager } from "./workspaces/workspace-manager";

/** The server passes it to the tRPC adapter; the web app's batch link splits at the same number. */
export { TRPC_MAX_BATCH_SIZE } from "@crewdeck/domain";
export type { NotificationDto } from "@crewdeck/engine";
export {
  type NotificationInput,
  type NotifyOptions,
  notifyProjectMembers,
  notifyUser,
  type OnNotificationCreated,
} from "@crewdeck/engine";
export {
  type ApiDeps,
  type ApiSettings,
  type AuthedContext,
  type Context,
  createContext,
  createInnerContext,
  type RequestInfo,
} from "./context";
export { ApiError, asApiError, type ContractError, toContractError } from "./errors";
export { authenticateRequest, CSRF_COOKIE, CSRF_HEADER } from "./lib/guards";
export { idempotencyKeyFrom, withIdempotency } from "./lib/idempotency";
/** Raw routes (multipart) check their text fields as the procedures check every input. */
export { assertAcceptableInput } from "./lib/input-guard";
export type { Mailer, MailMessage } from "./lib/mailer";
export {
  createRateLimiters,
  DEFAULT_RATE_LIMITS,
  limitTaskStarts,
  type RateLimitSettings,
} from "./lib/rate-limits";
export { type Actor, actorOf } from "./lib/viewer";
export { createOpenApiDocument, REST_BASE_PATH } from "./openapi";
export { type AppRouter, appRouter, createCaller } from "./root";
export { loadTask } from "./services/access/scoped-resources";
export { recordAuditEvent } from "./services/audit/audit";
export {
  beginLoginAttempt,
  type LoginAttempt,
  type LoginIdentifier,
  loginIdentifier,
} from "./services/auth/login-limits";
export { type PersonCredits, personCredits } from "./services/budgets/credits";
export {
  createOpenEventStreams,
  type EventStreamSettings,
  type OpenEventStreams,
} from "./services/events/open-streams";
export { type EventStreamRequest, parseEventQuery } from "./services/events/request";
export { checkAgentRoom, checkConversationRoom } from "./services/events/rooms";
export { type EventFeed, openEventFeed, openEventStream } from "./services/events/stream";
export { type FileRow, findAccessibleFile } from "./services/files/access";
export { downloadHeaders, openStoredFile } from "./services/files/download";
export { type FileDto, storeUpload, toFileDto } from "./services/files/files";
export { filePath, sweepOrphanedFiles } from "./services/files/storage";
export {
  type CallbackQuery,
  GITHUB_CALLBACK_PATH,
  githubCallbackLocation,
  githubRedirectUri,
} from "./services/github/github";
export { checkHealth } from "./services/health";
export { verificationEmail } from "./services/invitations/emails";
export { createSignUpGate } from "./services/invitations/sign-up-gate";
export { syncLinkedProjects } from "./services/issues/sync";
export { withinCredentialProject } from "./services/projects/access";
export { latestReviewFeedback, recordReviewFeedback } from "./services/pull-requests/review";
export { reviewLoopEffects } from "./services/pull-requests/revision";
export { startTaskRun } from "./services/runs/runs";
export { exportUsageCsv, USAGE_CSV_COLUMNS, type UsageExportScope } from "./services/usage/export";
export type { ProcedureMeta } from "./trpc";

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
export {
  beginLoginAttempt,
  type LoginAttempt,
  type LoginIdentifier,
  loginIdentifier,
} from "./services/auth/login-limits";
export { type EventStreamRequest, parseEventQuery } from "./services/events/request";
export { openEventStream } from "./services/events/stream";
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
export { syncLinkedProjects } from "./services/issues/sync";
export { latestReviewFeedback, recordReviewFeedback } from "./services/pull-requests/review";
export { reviewLoopEffects } from "./services/pull-requests/revision";
export { startTaskRun } from "./services/runs/runs";

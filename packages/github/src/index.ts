// GitHub for Crewdeck: configuration, connecting accounts, repositories, issues and pull requests. Services
// take their collaborators (`GitHubDeps`) as arguments; the API and the engine call them.
export {
  createOctokitFactory,
  type GitHubAuth,
  type GitHubClient,
  type OctokitFactory,
  type OctokitFactoryOptions,
} from "./client";
export {
  type BranchComparison,
  type ChangedFile,
  type ChangedFileStatus,
  COMPARE_FILE_LIMIT,
  compareBranches,
} from "./compare";
export {
  type ReadRepositoryFileOptions,
  type RepositoryFile,
  readRepositoryFile,
} from "./contents";
export type { GitHubDeps } from "./deps";
export {
  GitHubApiError,
  GitHubError,
  type GitHubErrorCode,
  type GitHubErrorReason,
  toGitHubError,
} from "./errors";
export { type RepositoryGitAccess, repositoryGitAccess } from "./git-access";
export { commentOnIssue, type SyncCounts, syncProjectIssues, syncRepositoryIssues } from "./issues";
export { createRedactingLogger, type GitHubLogger, redact, silentLogger } from "./logger";
export {
  asUser,
  type ConnectUrl,
  connectGitHub,
  consumeOAuthState,
  createConnectUrl,
  DEFAULT_OAUTH_SCOPES,
  disconnectGitHub,
  exchangeOAuthCode,
  type GitHubStatus,
  getGitHubStatus,
  OAUTH_STATE_TTL_MS,
  type UserGitHub,
  userGitHub,
} from "./oauth";
export {
  type ChecksSummary,
  commentOnPullRequest,
  fetchChecks,
  type MergeMethod,
  mergePullRequest,
  type OpenPullRequestInput,
  openOrUpdatePullRequest,
  type PostedComment,
  type ProjectSyncResult,
  syncProjectGitHub,
  syncRepositoryPullRequests,
} from "./pull-requests";
export {
  type Branch,
  listBranches,
  listRepositories,
  type RepositoryListItem,
  type RepositorySyncResult,
  reconnectProjectRepository,
  syncRepositories,
} from "./repositories";
export {
  asRepository,
  type ProjectRepository,
  type RepositoryGitHub,
  repositoryGitHub,
} from "./repository-client";
export {
  clearGitHubSettings,
  describeGitHubSettings,
  type GitHubConfig,
  type GitHubEnvironment,
  type GitHubSettingsChange,
  type GitHubSettingsDescription,
  requireOAuthApp,
  resolveGitHubConfig,
  setGitHubSettings,
} from "./settings";
export {
  type ChangesRequested,
  checkVerdict,
  createWebhookWorker,
  foldChecks,
  type GitHubUpdate,
  type IncomingDelivery,
  listWebhookDeliveries,
  onPullRequestReviewFeedback,
  type PostedMessage,
  type PullRequestFinished,
  processWebhookDelivery,
  REVIEW_FEEDBACK_KIND,
  type ReviewFeedbackMetadata,
  storeWebhookDelivery,
  verifyWebhookSignature,
  type WebhookDeliveryItem,
  type WebhookDeliveryRow,
  type WebhookEffects,
  type WebhookWorker,
  type WebhookWorkerOptions,
} from "./webhooks";

export {
  type ApiDeps,
  type ApiSettings,
  type Context,
  createContext,
  createInnerContext,
  type RequestInfo,
} from "./context";
export { ApiError, type ContractError, toContractError } from "./errors";
export { authenticateRequest, CSRF_COOKIE, CSRF_HEADER } from "./lib/guards";
export { createRateLimiters, DEFAULT_RATE_LIMITS, type RateLimitSettings } from "./lib/rate-limits";
export { createOpenApiDocument, REST_BASE_PATH } from "./openapi";
export { type AppRouter, appRouter, createCaller } from "./root";
export { checkHealth } from "./services/health";

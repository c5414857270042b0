// One error vocabulary for every transport: tRPC, the REST façade and the raw routes all answer
// `{ error: { code, message, details?, requestId } }` with the status codes of the contract (§1).
import { EngineError } from "@crewdeck/engine";
import { GitHubError } from "@crewdeck/github";
import { TRPCError } from "@trpc/server";
import type { TRPC_ERROR_CODE_KEY } from "@trpc/server/rpc";
import { ZodError } from "zod";

export const ERROR_CODES = {
  UNAUTHORIZED: { status: 401, trpc: "UNAUTHORIZED" },
  FORBIDDEN: { status: 403, trpc: "FORBIDDEN" },
  RESOURCE_NOT_FOUND: { status: 404, trpc: "NOT_FOUND" },
  VALIDATION_ERROR: { status: 400, trpc: "BAD_REQUEST" },
  CONFLICT: { status: 409, trpc: "CONFLICT" },
  AGENT_BUSY: { status: 409, trpc: "CONFLICT" },
  BUDGET_EXCEEDED: { status: 402, trpc: "PAYMENT_REQUIRED" },
  PAYLOAD_TOO_LARGE: { status: 413, trpc: "PAYLOAD_TOO_LARGE" },
  RATE_LIMIT_EXCEEDED: { status: 429, trpc: "TOO_MANY_REQUESTS" },
  GITHUB_API_ERROR: { status: 502, trpc: "BAD_GATEWAY" },
  MODEL_PROVIDER_ERROR: { status: 502, trpc: "BAD_GATEWAY" },
  INTERNAL_ERROR: { status: 500, trpc: "INTERNAL_SERVER_ERROR" },
} as const satisfies Record<string, { status: number; trpc: TRPC_ERROR_CODE_KEY }>;

export type ErrorCode = keyof typeof ERROR_CODES;
export type FieldError = { field: string; message: string };
export type ContractError = { code: ErrorCode; message: string; details?: unknown; requestId: string };

/** An error a user can act on. Services throw it; the transports render it. */
export class ApiError extends TRPCError {
  readonly appCode: ErrorCode;
  readonly details?: unknown;

  constructor(appCode: ErrorCode, message: string, details?: unknown) {
    super({ code: ERROR_CODES[appCode].trpc, message });
    this.appCode = appCode;
    this.details = details;
  }
}

/**
 * The engine's and the GitHub services' errors carry the contract's codes without knowing tRPC; this gives
 * them the matching API error, so every transport renders them like any other (402 BUDGET_EXCEEDED, 409
 * AGENT_BUSY, 502 GITHUB_API_ERROR…). A GitHub error's `reason` (reconnect_required, not_configured…) is
 * kept in `details` so screens can offer the right next step.
 */
export const asApiError = (error: unknown): ApiError | null => {
  if (error instanceof ApiError) return error;
  if (error instanceof EngineError) return new ApiError(error.code, error.message, error.details);
  if (error instanceof GitHubError) {
    const extra = error.details && typeof error.details === "object" ? error.details : {};
    return new ApiError(error.code, error.message, { reason: error.reason, ...extra });
  }
  return null;
};

export const notFound = (what: string) => new ApiError("RESOURCE_NOT_FOUND", `${what} not found`);
export const forbidden = (message: string) => new ApiError("FORBIDDEN", message);
export const conflict = (message: string, details?: unknown) => new ApiError("CONFLICT", message, details);
export const unauthorized = (message = "Authentication required") => new ApiError("UNAUTHORIZED", message);
export const invalid = (message: string, fields: FieldError[] = []) =>
  new ApiError("VALIDATION_ERROR", message, fields.length > 0 ? fields : undefined);

/** The failing fields of a zod error, with dotted paths (`repositories.0.name`). */
export const zodFieldErrors = (error: ZodError): FieldError[] =>
  error.issues.map((issue) => ({
    field: issue.path.map(String).join(".") || "(body)",
    message: issue.message,
  }));

/** tRPC's own codes, for errors that did not come from our services (routing, parsing, validation). */
const FROM_TRPC: Partial<Record<TRPC_ERROR_CODE_KEY, ErrorCode>> = {
  UNAUTHORIZED: "UNAUTHORIZED",
  FORBIDDEN: "FORBIDDEN",
  NOT_FOUND: "RESOURCE_NOT_FOUND",
  BAD_REQUEST: "VALIDATION_ERROR",
  PARSE_ERROR: "VALIDATION_ERROR",
  UNPROCESSABLE_CONTENT: "VALIDATION_ERROR",
  UNSUPPORTED_MEDIA_TYPE: "VALIDATION_ERROR",
  METHOD_NOT_SUPPORTED: "VALIDATION_ERROR",
  CONFLICT: "CONFLICT",
  PAYMENT_REQUIRED: "BUDGET_EXCEEDED",
  PAYLOAD_TOO_LARGE: "PAYLOAD_TOO_LARGE",
  TOO_MANY_REQUESTS: "RATE_LIMIT_EXCEEDED",
};

/** Renders any error raised while serving a request as the contract's error and its HTTP status. */
export function toContractError(
  error: TRPCError,
  requestId: string,
): { status: number; body: ContractError } {
  if (error instanceof ApiError) {
    return {
      status: ERROR_CODES[error.appCode].status,
      body: { code: error.appCode, message: error.message, details: error.details, requestId },
    };
  }
  if (error.cause instanceof ZodError) {
    return {
      status: 400,
      body: {
        code: "VALIDATION_ERROR",
        message: "Input validation failed",
        details: zodFieldErrors(error.cause),
        requestId,
      },
    };
  }
  const code = FROM_TRPC[error.code];
  if (!code) {
    // Never leak internals: the message of an unexpected error stays in the server log.
    return { status: 500, body: { code: "INTERNAL_ERROR", message: "Internal server error", requestId } };
  }
  const message =
    error.code === "PARSE_ERROR"
      ? "The request body is not valid JSON"
      : error.code === "NOT_FOUND" && error.message === "Not found"
        ? "No such endpoint"
        : error.message;
  const status =
    error.code === "UNSUPPORTED_MEDIA_TYPE"
      ? 415
      : error.code === "METHOD_NOT_SUPPORTED"
        ? 405
        : ERROR_CODES[code].status;
  return { status, body: { code, message, requestId } };
}

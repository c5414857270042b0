import { APIError } from "better-auth/api";
import { ApiError } from "../../errors";

const CONFLICT_CODES = new Set([
  "USER_ALREADY_EXISTS",
  "USER_ALREADY_EXISTS_USE_ANOTHER_EMAIL",
  "USERNAME_IS_ALREADY_TAKEN",
  "USERNAME_IS_ALREADY_TAKEN_PLEASE_TRY_ANOTHER",
]);

/** Translates better-auth's errors into the contract's; anything else is rethrown untouched. */
export async function withBetterAuthErrors<T>(call: () => Promise<T>): Promise<T> {
  try {
    return await call();
  } catch (error) {
    if (!(error instanceof APIError)) throw error;
    const code = typeof error.body?.code === "string" ? error.body.code : "";
    const message = error.body?.message ?? error.message;
    if (CONFLICT_CODES.has(code)) throw new ApiError("CONFLICT", message);
    switch (error.statusCode) {
      case 401:
        throw new ApiError("UNAUTHORIZED", message);
      case 403:
        throw new ApiError("FORBIDDEN", message);
      case 404:
        throw new ApiError("RESOURCE_NOT_FOUND", message);
      case 409:
        throw new ApiError("CONFLICT", message);
      case 429:
        throw new ApiError("RATE_LIMIT_EXCEEDED", message);
      default:
        if (error.statusCode >= 400 && error.statusCode < 500)
          throw new ApiError("VALIDATION_ERROR", message);
        throw error;
    }
  }
}

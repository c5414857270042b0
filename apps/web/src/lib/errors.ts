// API errors in words a person understands. The server sends the contract's error under
// `error.data.error` ({ code, message, details }); its message is already written for people, and the
// field errors say which input to fix.
import { TRPCClientError } from "@trpc/client";

export type FieldError = { field: string; message: string };

type ContractError = { code: string; message: string; details?: unknown };

const FALLBACK: Record<string, string> = {
  UNAUTHORIZED: "Your session has ended. Please sign in again.",
  FORBIDDEN: "You do not have permission to do that.",
  RESOURCE_NOT_FOUND: "This no longer exists, or you do not have access to it.",
  RATE_LIMIT_EXCEEDED: "Too many requests. Wait a moment and try again.",
  INTERNAL_ERROR: "Something went wrong on the server. Try again in a moment.",
};

export function contractError(error: unknown): ContractError | null {
  if (error instanceof TRPCClientError) {
    const data = error.data as { error?: ContractError } | undefined;
    if (data?.error?.code) return data.error;
  }
  return null;
}

/** One sentence for a toast or an inline alert. */
export function describeError(error: unknown): string {
  const known = contractError(error);
  if (known) {
    if (known.code === "VALIDATION_ERROR") {
      const fields = fieldErrors(error);
      if (fields.length > 0) return fields.map((f) => `${humanField(f.field)}: ${f.message}`).join(" · ");
    }
    return known.message || FALLBACK[known.code] || "The request failed.";
  }
  if (error instanceof TypeError || (error instanceof Error && /fetch|network/i.test(error.message))) {
    return "Could not reach the server. Check your connection and try again.";
  }
  return error instanceof Error && error.message ? error.message : "Something went wrong.";
}

/** The field errors of a VALIDATION_ERROR, for showing next to each input. */
export function fieldErrors(error: unknown): FieldError[] {
  const details = contractError(error)?.details;
  return Array.isArray(details)
    ? details.filter((d): d is FieldError => typeof d?.field === "string" && typeof d?.message === "string")
    : [];
}

/** The field errors of a VALIDATION_ERROR, and the message for one field, for forms that show each under its input. */
export function fieldErrorLookup(error: unknown): {
  errors: FieldError[];
  errorOf: (field: string) => string | undefined;
} {
  const errors = fieldErrors(error);
  return { errors, errorOf: (field) => errors.find((e) => e.field === field)?.message };
}

export const errorCode = (error: unknown): string | null => contractError(error)?.code ?? null;

/** `modelConfig.maxTokens` → "Max tokens". */
export function humanField(field: string): string {
  const last =
    field
      .split(".")
      .filter((part) => !/^\d+$/.test(part))
      .pop() ?? field;
  const words = last
    .replace(/([a-z])([A-Z])/g, "$1 $2")
    .replace(/_/g, " ")
    .toLowerCase();
  return words.charAt(0).toUpperCase() + words.slice(1);
}

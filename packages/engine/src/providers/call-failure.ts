// Turns whatever an SDK threw (API error, abort, cut connection) into the engine's one error type, carrying
// what the provider had reported before it ended, so usage seen before a failure is still metered.
import { ModelCallError, type ModelUsage } from "./types";

export type PartialCall = {
  providerMessageId: string | null;
  usage: ModelUsage;
  text: string;
};

function isAbort(error: unknown): boolean {
  const name = error instanceof Error ? error.name : "";
  return name === "AbortError" || name === "APIUserAbortError";
}

/** The provider's own message from an SDK `APIError` (`{ error: { message } }` or `{ message }` bodies). */
function providerMessage(error: unknown): string {
  if (!(error instanceof Error)) return String(error);
  const body = (error as { error?: { message?: unknown; error?: { message?: unknown; type?: unknown } } })
    .error;
  const inner = body?.error;
  if (typeof inner?.message === "string") {
    return typeof inner.type === "string" ? `${inner.type}: ${inner.message}` : inner.message;
  }
  if (typeof body?.message === "string") return body.message;
  return error.message;
}

export function toModelCallError(
  label: string,
  error: unknown,
  partial: PartialCall,
  signal?: AbortSignal | undefined,
): ModelCallError {
  if (error instanceof ModelCallError) return error;
  const aborted = Boolean(signal?.aborted) || isAbort(error);
  const rawStatus = (error as { status?: unknown } | null)?.status;
  const status = typeof rawStatus === "number" ? rawStatus : null;
  const message = aborted
    ? `${label} call was aborted`
    : `${label} call failed${status ? ` with HTTP ${status}` : ""}: ${providerMessage(error)}`;
  return new ModelCallError(message, {
    aborted,
    status,
    providerMessageId: partial.providerMessageId,
    usage: { ...partial.usage },
    partialText: partial.text,
  });
}

/** A stream that ended without the provider's end-of-message marker: aborted, or cut mid-way. */
export function incompleteStreamError(
  label: string,
  partial: PartialCall,
  signal?: AbortSignal | undefined,
): ModelCallError {
  const aborted = Boolean(signal?.aborted);
  return new ModelCallError(
    aborted ? `${label} call was aborted` : `${label} stream ended before the message was complete`,
    {
      aborted,
      status: null,
      providerMessageId: partial.providerMessageId,
      usage: { ...partial.usage },
      partialText: partial.text,
    },
  );
}

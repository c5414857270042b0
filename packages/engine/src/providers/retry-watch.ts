// Makes the SDKs' own retries visible. Both SDKs retry 408, 409, 429 and 5xx (and connection failures) up
// to `maxRetries` times, honouring `retry-after`; this watches each HTTP attempt with the same rule and
// reports the ones the SDK is about to retry, so a run's log can say "rate limited, retrying".
import type { RetryNotice } from "./types";

/** The rule of the Stainless-generated SDKs (`shouldRetry` in @anthropic-ai/sdk and openai alike). */
export function isRetryableResponse(response: Response): boolean {
  const header = response.headers.get("x-should-retry");
  if (header === "true") return true;
  if (header === "false") return false;
  return [408, 409, 429].includes(response.status) || response.status >= 500;
}

export type RetryWatch = {
  /** Each attempt's response, before the SDK reads it. */
  observeResponse: (response: Response) => Promise<void>;
  /** Each attempt that failed without a response (connection refused, reset). */
  observeFailure: (error: unknown) => void;
};

type RetryWatchOptions = {
  /** Who answered, for the notice's message ("Anthropic"). */
  label: string;
  maxRetries: number;
  onRetry?: ((notice: RetryNotice) => void) | undefined;
  signal?: AbortSignal | undefined;
};

/** The provider's own words for the error, when its body is the usual `{ error: { type?, message } }`. */
async function describeErrorBody(response: Response): Promise<string> {
  try {
    const body = JSON.parse(await response.clone().text()) as { error?: { type?: string; message?: string } };
    const { type, message } = body.error ?? {};
    return [type, message].filter(Boolean).join(": ");
  } catch {
    return "";
  }
}

function retryAfterSeconds(response: Response): number | null {
  const ms = Number.parseFloat(response.headers.get("retry-after-ms") ?? "");
  if (Number.isFinite(ms)) return ms / 1000;
  const seconds = Number.parseFloat(response.headers.get("retry-after") ?? "");
  return Number.isFinite(seconds) ? seconds : null;
}

export function createRetryWatch({ label, maxRetries, onRetry, signal }: RetryWatchOptions): RetryWatch {
  let retries = 0;
  // Counted even without a listener, so the numbering matches the SDK's attempts.
  const notify = (status: number | null, reason: string) => {
    if (retries >= maxRetries || signal?.aborted) return;
    retries += 1;
    onRetry?.({
      attempt: retries,
      status,
      message: `${label}: ${reason}; retrying (${retries} of ${maxRetries})`,
    });
  };
  return {
    observeResponse: async (response) => {
      if (response.ok || !isRetryableResponse(response)) return;
      if (retries >= maxRetries || signal?.aborted) return;
      const detail = await describeErrorBody(response);
      const wait = retryAfterSeconds(response);
      const reason = [
        `HTTP ${response.status}${detail ? ` (${detail})` : ""}`,
        wait !== null && wait > 0 ? `the server asked to wait ${wait} s` : null,
      ]
        .filter(Boolean)
        .join(", ");
      notify(response.status, reason);
    },
    observeFailure: (error) => {
      notify(null, `connection failed (${error instanceof Error ? error.message : String(error)})`);
    },
  };
}

/** A `fetch` that lets `watch` see every attempt, for SDKs that take a custom fetch (openai). */
export function watchedFetch(watch: RetryWatch, base: typeof fetch = globalThis.fetch): typeof fetch {
  return async (input, init) => {
    let response: Response;
    try {
      response = await base(input, init);
    } catch (error) {
      watch.observeFailure(error);
      throw error;
    }
    await watch.observeResponse(response);
    return response;
  };
}

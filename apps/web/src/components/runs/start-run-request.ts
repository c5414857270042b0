// Starting a run with an image goes to the raw multipart twin of runs.start (POST /api/v1/tasks/{id}/start),
// since tRPC carries JSON only. Its REST errors are turned into errors that read like the procedure's.
import { humanField } from "../../lib/errors";
import type { RouterOutputs } from "../../lib/trpc";

export type StartRunResult = RouterOutputs["runs"]["start"];

/** An error answer from a raw REST route: `{ error: { code, message, details? } }` with its HTTP status. */
export class RestApiError extends Error {
  constructor(
    readonly status: number,
    readonly code: string,
    message: string,
    readonly details: unknown = undefined,
  ) {
    super(message);
    this.name = "RestApiError";
  }
}

/** Said when the body carries no message of its own (a proxy's error page, say). */
const BY_STATUS: Record<number, string> = {
  402: "The budget for this work is used up. Raise the limit on the Budgets page, or wait for it to reset.",
  409: "The task already has an active run. Cancel it or wait for it to finish.",
  413: "The image is too large to upload.",
  429: "Too many runs started. Wait a while and try again.",
  502: "The model provider could not be reached. Check its configuration in Settings.",
};

type Body = { error?: { code?: unknown; message?: unknown; details?: unknown } };

export function restErrorFrom(status: number, body: unknown): RestApiError {
  const error = (body as Body | null)?.error;
  const code = typeof error?.code === "string" ? error.code : `HTTP_${status}`;
  const details = error?.details;
  const fields = Array.isArray(details)
    ? details.filter(
        (d): d is { field: string; message: string } =>
          typeof d?.field === "string" && typeof d?.message === "string",
      )
    : [];
  let message =
    code === "VALIDATION_ERROR" && fields.length > 0
      ? fields.map((f) => `${humanField(f.field)}: ${f.message}`).join(" · ")
      : typeof error?.message === "string" && error.message
        ? error.message
        : (BY_STATUS[status] ?? `The run could not be started (HTTP ${status}).`);
  if (!message.trim()) message = "The run could not be started.";
  return new RestApiError(status, code, message, details);
}

/** POSTs the instructions and the image as one form; resolves to what runs.start answers. */
export async function startRunWithImage(
  fetcher: typeof fetch,
  serverUrl: string,
  taskId: string,
  { instructions, image }: { instructions: string; image: File },
): Promise<StartRunResult> {
  const form = new FormData();
  if (instructions.trim()) form.set("instructions", instructions.trim());
  form.set("image", image);
  // No content-type header: the browser writes the multipart boundary itself.
  const response = await fetcher(`${serverUrl}/api/v1/tasks/${encodeURIComponent(taskId)}/start`, {
    method: "POST",
    body: form,
  });
  const body: unknown = await response.json().catch(() => null);
  if (!response.ok) throw restErrorFrom(response.status, body);
  return body as StartRunResult;
}

// Uploading one attachment through the raw files route (§2.6: multipart, field `file`). A plain route, not a
// procedure, so its errors arrive as the contract's JSON body rather than through tRPC.
import type { UploadedFile } from "./attachments";

/** The contract's error body (`{ error: { code, message } }`) in words, whatever the server answered. */
export function uploadFailure(status: number, body: unknown): string {
  const message = (body as { error?: { message?: unknown } } | null)?.error?.message;
  if (typeof message === "string" && message) return message;
  if (status === 413) return "The file is larger than the server accepts.";
  if (status === 401) return "Your session has ended. Please sign in again.";
  return `The upload failed (HTTP ${status}).`;
}

export async function uploadFile(
  fetcher: typeof fetch,
  serverUrl: string,
  file: File,
  signal?: AbortSignal,
): Promise<UploadedFile> {
  const form = new FormData();
  form.append("file", file, file.name);
  let response: Response;
  try {
    response = await fetcher(`${serverUrl}/api/v1/files`, {
      method: "POST",
      body: form,
      signal: signal ?? null,
    });
  } catch (error) {
    if (signal?.aborted) throw error;
    throw new Error("Could not reach the server. Check your connection and try again.");
  }
  const body: unknown = await response.json().catch(() => null);
  if (!response.ok) throw new Error(uploadFailure(response.status, body));
  return body as UploadedFile;
}

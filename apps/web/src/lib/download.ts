// A file the server answers on a raw route (an export, a CSV), fetched with the session's token (a plain
// link could not send it) and handed to the browser as a download under the server's filename.
import { filenameFromDisposition } from "../components/settings/settings-helpers";
import type { Session } from "./session";
import { authorisedFetch } from "./trpc";

/** The contract's error message from a failed raw response, when it has one. */
async function responseError(response: Response): Promise<string> {
  const body = (await response.json().catch(() => null)) as { error?: { message?: string } } | null;
  return body?.error?.message ?? `The download failed (${response.status}).`;
}

export async function downloadFile(session: Session, url: string, fallbackName: string): Promise<void> {
  const response = await authorisedFetch(session)(url);
  if (!response.ok) throw new Error(await responseError(response));
  const name = filenameFromDisposition(response.headers.get("content-disposition"), fallbackName);
  const objectUrl = URL.createObjectURL(await response.blob());
  const link = Object.assign(document.createElement("a"), { href: objectUrl, download: name });
  document.body.append(link);
  link.click();
  link.remove();
  // Revoked on the next tick: some browsers start the download only after the click handler returns.
  setTimeout(() => URL.revokeObjectURL(objectUrl), 0);
}

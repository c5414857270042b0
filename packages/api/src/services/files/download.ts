// What a download answers with: the stored bytes as a stream, and headers that stop a browser from
// running them as a page of ours.
import { open } from "node:fs/promises";
import { Readable } from "node:stream";
import type { ApiSettings } from "../../context";
import type { FileRow } from "./access";
import { INLINE_IMAGE_TYPES } from "./sniff";
import { filePath } from "./storage";

/** RFC 8187 ext-value: encodeURIComponent leaves `'()*` alone, which the attr-char grammar forbids. */
const encodeExtValue = (value: string): string =>
  encodeURIComponent(value).replace(/['()*]/g, (c) => `%${c.charCodeAt(0).toString(16).toUpperCase()}`);

export function downloadHeaders(file: Pick<FileRow, "filename" | "mimeType" | "size" | "sha256">): Headers {
  const disposition = INLINE_IMAGE_TYPES.has(file.mimeType) ? "inline" : "attachment";
  return new Headers({
    "Content-Type": file.mimeType,
    "Content-Length": String(file.size),
    "Content-Disposition": `${disposition}; filename*=UTF-8''${encodeExtValue(file.filename)}`,
    "X-Content-Type-Options": "nosniff",
    "Cache-Control": "private",
    ETag: `"${file.sha256}"`,
  });
}

/**
 * The stored bytes as a web stream, or null when they are gone from disk. Opening before answering means
 * a file deleted meanwhile is a 404, not a response cut short.
 */
export async function openStoredFile(
  settings: Pick<ApiSettings, "filesDir">,
  file: Pick<FileRow, "storedName">,
): Promise<ReadableStream<Uint8Array> | null> {
  let handle: Awaited<ReturnType<typeof open>>;
  try {
    handle = await open(filePath(settings, file.storedName), "r");
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === "ENOENT") return null;
    throw error;
  }
  return Readable.toWeb(handle.createReadStream()) as ReadableStream<Uint8Array>;
}

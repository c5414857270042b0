// The content type of an upload comes from its bytes: a client could label an HTML page as an image.
import { fileTypeFromBuffer } from "file-type";

export const TEXT_PLAIN = "text/plain; charset=utf-8";
export const OCTET_STREAM = "application/octet-stream";

/** Images that vision-capable models read and browsers may show inline. */
export const INLINE_IMAGE_TYPES: ReadonlySet<string> = new Set([
  "image/jpeg",
  "image/png",
  "image/gif",
  "image/webp",
]);

const isUtf8Text = (bytes: Uint8Array): boolean => {
  if (bytes.includes(0)) return false;
  try {
    new TextDecoder("utf-8", { fatal: true }).decode(bytes);
    return true;
  } catch {
    return false;
  }
};

export async function sniffMimeType(bytes: Uint8Array): Promise<string> {
  const detected = await fileTypeFromBuffer(bytes);
  if (detected) return detected.mime;
  return isUtf8Text(bytes) ? TEXT_PLAIN : OCTET_STREAM;
}

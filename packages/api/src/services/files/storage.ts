// Bytes on disk under generated names. Nothing the client sends ever becomes part of a path.
import { randomUUID } from "node:crypto";
import { mkdir, rename, rm, writeFile } from "node:fs/promises";
import path from "node:path";
import type { ApiSettings } from "../../context";

const STORED_NAME = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/;

export const newStoredName = (): string => randomUUID();

/**
 * Where a stored file lives. Stored names are generated, but a row could be tampered with or a bug could
 * slip through, so the resolved path is checked to sit directly inside filesDir.
 */
export function filePath(settings: Pick<ApiSettings, "filesDir">, storedName: string): string {
  const root = path.resolve(settings.filesDir);
  const full = path.resolve(root, storedName);
  if (!STORED_NAME.test(storedName) || path.dirname(full) !== root) {
    throw new Error(`Refusing a stored file name outside the files directory: ${JSON.stringify(storedName)}`);
  }
  return full;
}

/**
 * Writes the bytes under a temporary name and renames them into place, so a reader never sees half a
 * file; then runs `commit` (the database insert). If anything fails, neither the bytes nor a temporary
 * file is left behind.
 */
export async function writeStoredFile<T>(
  settings: Pick<ApiSettings, "filesDir">,
  storedName: string,
  bytes: Uint8Array,
  commit: () => Promise<T>,
): Promise<T> {
  const finalPath = filePath(settings, storedName);
  const tempPath = path.join(path.dirname(finalPath), `.upload-${randomUUID()}.tmp`);
  let committed = false;
  try {
    await mkdir(path.dirname(finalPath), { recursive: true });
    await writeFile(tempPath, bytes, { flag: "wx", mode: 0o600 });
    await rename(tempPath, finalPath);
    const result = await commit();
    committed = true;
    return result;
  } finally {
    await rm(tempPath, { force: true });
    if (!committed) await rm(finalPath, { force: true });
  }
}

export const removeStoredFile = (settings: Pick<ApiSettings, "filesDir">, storedName: string) =>
  rm(filePath(settings, storedName), { force: true });

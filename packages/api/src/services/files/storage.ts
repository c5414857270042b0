// Bytes on disk under generated names. Nothing the client sends ever becomes part of a path.
import { randomUUID } from "node:crypto";
import { mkdir, readdir, rename, rm, stat, writeFile } from "node:fs/promises";
import path from "node:path";
import { type Executor, schema } from "@crewdeck/db";
import { inArray } from "drizzle-orm";
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
 * Writes the bytes under a temporary name, runs `commit` (the database insert), and only then renames the
 * bytes into place. The row always exists before its bytes do, so `sweepOrphanedFiles` (which lists the
 * directory before it reads the table) can never take a new upload for an orphan. If anything fails,
 * neither the bytes nor a temporary file is left behind, and a committed row is taken back.
 */
export async function writeStoredFile<T>(
  settings: Pick<ApiSettings, "filesDir">,
  storedName: string,
  bytes: Uint8Array,
  commit: () => Promise<T>,
  rollback: () => Promise<void>,
): Promise<T> {
  const finalPath = filePath(settings, storedName);
  const tempPath = path.join(path.dirname(finalPath), `${TEMP_PREFIX}${randomUUID()}${TEMP_SUFFIX}`);
  try {
    await mkdir(path.dirname(finalPath), { recursive: true });
    await writeFile(tempPath, bytes, { flag: "wx", mode: 0o600 });
    const result = await commit();
    try {
      await rename(tempPath, finalPath);
    } catch (error) {
      await rollback();
      throw error;
    }
    return result;
  } finally {
    await rm(tempPath, { force: true });
  }
}

const TEMP_PREFIX = ".upload-";
const TEMP_SUFFIX = ".tmp";
/** A temporary file this old belongs to an upload that died with its process. */
const STALE_TEMP_MS = 60 * 60 * 1000;

/**
 * Removes bytes no row refers to any more: rows go by cascade when a conversation, a project or an account
 * is deleted, and a crash can leave a temporary file. Lists the directory first and reads the table
 * second, which together with the write order above keeps every live upload.
 */
export async function sweepOrphanedFiles(db: Executor, settings: Pick<ApiSettings, "filesDir">) {
  let entries: string[];
  try {
    entries = await readdir(settings.filesDir);
  } catch {
    return { removed: 0 };
  }
  const stored = entries.filter((name) => STORED_NAME.test(name));
  const live = new Set<string>();
  for (let i = 0; i < stored.length; i += 500) {
    const chunk = stored.slice(i, i + 500);
    const rows = await db
      .select({ storedName: schema.files.storedName })
      .from(schema.files)
      .where(inArray(schema.files.storedName, chunk));
    for (const row of rows) live.add(row.storedName);
  }
  let removed = 0;
  for (const name of stored) {
    if (live.has(name)) continue;
    await rm(path.join(settings.filesDir, name), { force: true });
    removed++;
  }
  const now = Date.now();
  for (const name of entries) {
    if (!name.startsWith(TEMP_PREFIX) || !name.endsWith(TEMP_SUFFIX)) continue;
    const full = path.join(settings.filesDir, name);
    const info = await stat(full).catch(() => null);
    if (info && now - info.mtimeMs > STALE_TEMP_MS) {
      await rm(full, { force: true });
      removed++;
    }
  }
  return { removed };
}

export const removeStoredFile = (settings: Pick<ApiSettings, "filesDir">, storedName: string) =>
  rm(filePath(settings, storedName), { force: true });

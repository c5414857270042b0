// DATA_DIR holds the database (password hashes, sealed provider keys), the auth secret and uploads: only
// the account the server runs as may read it.
import { mkdir, stat } from "node:fs/promises";
import type { Logger } from "./http/app";

const PRIVATE_DIR_MODE = 0o700;

/**
 * Creates the data directory readable by its owner only. An operator's existing directory keeps the mode
 * they gave it (they may share it on purpose), but one that others can read is named in the log.
 */
export async function preparePrivateDataDir(dir: string, logger: Logger): Promise<void> {
  const existing = await stat(dir).catch((error: NodeJS.ErrnoException) => {
    if (error.code === "ENOENT") return null;
    throw error;
  });
  if (!existing) {
    await mkdir(dir, { recursive: true, mode: PRIVATE_DIR_MODE });
    return;
  }
  const open = existing.mode & 0o077;
  if (open !== 0) {
    logger.info(
      `Warning: DATA_DIR ${dir} is accessible to other users (mode ${(existing.mode & 0o777).toString(8)}); ` +
        "it holds the database and the auth secret: chmod 700 it",
    );
  }
}

import { z } from "zod";

/** Every record the caller owns, keyed by kind; its shape follows the database, so it is not pinned here. */
export const zAccountExport = z.record(z.string(), z.unknown());

export const zDeleteAccountInput = z.object({ password: z.string().min(1).max(128) });

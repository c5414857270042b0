// Bounds on what a client may send, shared by the server that enforces them and the web app that keeps to them.

/** A user's preferences are free-form JSON the web app keeps on the server. */
export const PREFERENCES_MAX_DEPTH = 8;
export const PREFERENCES_MAX_BYTES = 16 * 1024;

/** Procedure calls in one tRPC batch request; the web app's batch link splits at the same number. */
export const TRPC_MAX_BATCH_SIZE = 20;

import { index, integer, sqliteTable, text, uniqueIndex } from "drizzle-orm/sqlite-core";
import { id, timestamp, timestamps } from "../columns";
import { users } from "./auth";

/**
 * `Idempotency-Key`s seen on POSTs, with the first response to replay for 24 h. The row is written before
 * the handler runs, with a null status until it finishes, so a concurrent retry sees it and never runs twice.
 * `response_body` is sealed with the server's secret (secret-box), and holds only a marker for a response
 * that carried a secret (tokens, API keys, TOTP seeds): those are never stored.
 */
export const idempotencyKeys = sqliteTable(
  "idempotency_keys",
  {
    id: id(),
    userId: text("user_id")
      .notNull()
      .references(() => users.id, { onDelete: "cascade" }),
    key: text("key").notNull(),
    method: text("method").notNull(),
    path: text("path").notNull(),
    /** Hash of the request body: the same key with a different body is a client error, not a replay. */
    requestHash: text("request_hash").notNull(),
    statusCode: integer("status_code"),
    responseBody: text("response_body"),
    createdAt: timestamps().createdAt,
    expiresAt: timestamp("expires_at").notNull(),
  },
  (t) => [
    uniqueIndex("idempotency_keys_user_key_uq").on(t.userId, t.key),
    index("idempotency_keys_expires_at_idx").on(t.expiresAt),
  ],
);

// Events written in the same transaction as the change they describe (issue 19): a relay moves committed
// rows to the event bus in id order and deletes them only once the bus has them, so a crash between the
// commit and the publish loses no event, and a rolled-back change publishes none.
import { EVENT_TYPES } from "@crewdeck/domain";
import { integer, sqliteTable, text } from "drizzle-orm/sqlite-core";
import { json, timestamps } from "../columns";

export const eventOutbox = sqliteTable("event_outbox", {
  /** Commit order (one writer at a time), the order the relay publishes in; the bus dedupes on it. */
  id: integer("id").primaryKey({ autoIncrement: true }),
  type: text("type", { enum: EVENT_TYPES }).notNull(),
  // The event's scope, as the bus will carry it; no foreign keys: the row lives only until it is relayed.
  userId: text("user_id"),
  projectId: text("project_id"),
  conversationId: text("conversation_id"),
  taskId: text("task_id"),
  payload: json<unknown>("payload").notNull(),
  createdAt: timestamps().createdAt,
});

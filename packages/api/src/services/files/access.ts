// Who may read a file: its uploader, and whoever may read a conversation it is attached to (or the
// project it was filed under). The project rules themselves live in access/scoped-resources.
import { type Executor, schema } from "@crewdeck/db";
import { and, eq } from "drizzle-orm";
import { notFound } from "../../errors";
import { roleOver } from "../access/scoped-resources";
import { findMembership, inCredentialReach } from "../projects/access";

export type FileRow = typeof schema.files.$inferSelect;

/** File ids are UUIDv7s; anything else cannot name a file, so it is not worth a query. */
const FILE_ID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

async function attachedToVisibleConversation(db: Executor, fileId: string, userId: string) {
  const conversations = await db
    .selectDistinct({
      projectId: schema.conversations.projectId,
      createdById: schema.conversations.createdById,
    })
    .from(schema.messageAttachments)
    .innerJoin(schema.messages, eq(schema.messages.id, schema.messageAttachments.messageId))
    .innerJoin(schema.conversations, eq(schema.conversations.id, schema.messages.conversationId))
    .where(eq(schema.messageAttachments.fileId, fileId));
  for (const conversation of conversations) {
    if (await roleOver(db, conversation, userId)) return true;
  }
  return false;
}

/** The file if `userId` may read it, else null: callers answer 404 either way, so ids cannot be probed. */
export async function findAccessibleFile(
  db: Executor,
  fileId: string,
  userId: string,
): Promise<FileRow | null> {
  if (!FILE_ID.test(fileId)) return null;
  const file = await db.query.files.findFirst({ where: eq(schema.files.id, fileId) });
  if (!file) return null;
  if (file.uploaderId === userId && inCredentialReach(file.projectId)) return file;
  if (file.projectId && (await findMembership(db, file.projectId, userId))) return file;
  return (await attachedToVisibleConversation(db, fileId, userId)) ? file : null;
}

/** A file the caller uploaded; only the uploader may delete, and everyone else is told it does not exist. */
export async function loadOwnFile(db: Executor, fileId: string, userId: string): Promise<FileRow> {
  const file = FILE_ID.test(fileId)
    ? await db.query.files.findFirst({
        where: and(eq(schema.files.id, fileId), eq(schema.files.uploaderId, userId)),
      })
    : undefined;
  if (!file || !inCredentialReach(file.projectId)) throw notFound("File");
  return file;
}

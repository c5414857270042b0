// Messages as the contract serves them (§2.5), shared by the API and by the engine that publishes the
// messages its agents write.
import { type Executor, microsToUsd, schema } from "@crewdeck/db";
import { asc, eq, inArray } from "drizzle-orm";

type MessageRow = typeof schema.messages.$inferSelect;
type AgentRole = (typeof schema.AGENT_ROLES)[number];

export type AgentRefDto = { id: string; name: string; role: AgentRole };

export type AttachmentDto = {
  id: string;
  filename: string;
  size: number;
  mimeType: string;
  sha256: string;
  url: string;
};

export type MessageDto = {
  id: string;
  conversationId: string;
  authorType: MessageRow["authorType"];
  author: { id: string | null; name: string };
  agent: AgentRefDto | null;
  content: string;
  status: MessageRow["status"];
  replyTo: string | null;
  attachments: AttachmentDto[];
  tokensIn: number;
  tokensOut: number;
  costUsd: number;
  model: string | null;
  createdAt: string;
};

/** A message with the people and agents it names, as `selectMessages` reads it. */
export type MessageSource = {
  message: MessageRow;
  user: { id: string; name: string } | null;
  agent: AgentRefDto | null;
};

export const fileUrl = (fileId: string) => `/api/v1/files/${fileId}`;

function authorOf({ message, user, agent }: MessageSource): MessageDto["author"] {
  // The rows behind an author may be gone (account deleted, agent removed); the message stays readable.
  if (message.authorType === "user") return { id: user?.id ?? null, name: user?.name ?? "Deleted user" };
  if (message.authorType === "agent") return { id: agent?.id ?? null, name: agent?.name ?? "Deleted agent" };
  return { id: null, name: "System" };
}

export function toMessageDto(source: MessageSource, attachments: AttachmentDto[]): MessageDto {
  const { message, agent } = source;
  return {
    id: message.id,
    conversationId: message.conversationId,
    authorType: message.authorType,
    author: authorOf(source),
    agent: message.authorType === "agent" ? agent : null,
    content: message.content,
    status: message.status,
    replyTo: message.replyToId,
    attachments,
    tokensIn: message.tokensIn,
    tokensOut: message.tokensOut,
    costUsd: microsToUsd(message.costMicros),
    model: message.model,
    createdAt: message.createdAt.toISOString(),
  };
}

/** The base query for messages with their author; callers add where, order and limit. */
export const selectMessages = (db: Executor) =>
  db
    .select({
      message: schema.messages,
      user: { id: schema.users.id, name: schema.users.name },
      agent: { id: schema.agents.id, name: schema.agents.name, role: schema.agents.role },
    })
    .from(schema.messages)
    .leftJoin(schema.users, eq(schema.users.id, schema.messages.userId))
    .leftJoin(schema.agents, eq(schema.agents.id, schema.messages.agentId));

// Keeps each `IN (…)` well under SQLite's bound-parameter limit, however long the task's history.
const CHUNK = 500;

async function attachmentsOf(db: Executor, messageIds: string[]): Promise<Map<string, AttachmentDto[]>> {
  const byMessage = new Map<string, AttachmentDto[]>();
  for (let i = 0; i < messageIds.length; i += CHUNK) {
    const rows = await db
      .select({ messageId: schema.messageAttachments.messageId, file: schema.files })
      .from(schema.messageAttachments)
      .innerJoin(schema.files, eq(schema.files.id, schema.messageAttachments.fileId))
      .where(inArray(schema.messageAttachments.messageId, messageIds.slice(i, i + CHUNK)))
      .orderBy(asc(schema.files.createdAt), asc(schema.files.id));
    for (const { messageId, file } of rows) {
      const list = byMessage.get(messageId) ?? [];
      list.push({
        id: file.id,
        filename: file.filename,
        size: file.size,
        mimeType: file.mimeType,
        sha256: file.sha256,
        url: fileUrl(file.id),
      });
      byMessage.set(messageId, list);
    }
  }
  return byMessage;
}

/** DTOs for rows read with `selectMessages`, in the same order. */
export async function toMessageDtos(db: Executor, sources: MessageSource[]): Promise<MessageDto[]> {
  const attachments = await attachmentsOf(
    db,
    sources.map((s) => s.message.id),
  );
  return sources.map((s) => toMessageDto(s, attachments.get(s.message.id) ?? []));
}

/** The messages with these ids, in the order given; ids that do not exist are left out. */
export async function loadMessageDtos(db: Executor, messageIds: string[]): Promise<MessageDto[]> {
  const sources: MessageSource[] = [];
  for (let i = 0; i < messageIds.length; i += CHUNK) {
    sources.push(
      ...(await selectMessages(db).where(inArray(schema.messages.id, messageIds.slice(i, i + CHUNK)))),
    );
  }
  const dtos = new Map((await toMessageDtos(db, sources)).map((m) => [m.id, m]));
  return messageIds.flatMap((id) => dtos.get(id) ?? []);
}

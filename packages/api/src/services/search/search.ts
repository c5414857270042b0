// One search over what the caller may see: task titles and descriptions, chat titles and messages' text,
// each list newest first and short (it feeds the command palette and a results page, not an export).
import { type Executor, schema } from "@crewdeck/db";
import { type AnyColumn, and, desc, eq, inArray, isNull, ne, or, type SQL, sql } from "drizzle-orm";
import { inCredentialReach, membershipsOf } from "../projects/access";

const SNIPPET_CHARS = 160;

/** Case-insensitive "contains", without LIKE's wildcards to escape. */
const contains = (column: AnyColumn | SQL, q: string) => sql`instr(lower(${column}), lower(${q})) > 0`;

/** Around the first hit, so the person sees why the message matched. */
function snippet(text: string, q: string): string {
  const at = text.toLowerCase().indexOf(q.toLowerCase());
  const start = Math.max(0, at - 40);
  const cut = text
    .slice(start, start + SNIPPET_CHARS)
    .replace(/\s+/g, " ")
    .trim();
  return `${start > 0 ? "…" : ""}${cut}${start + SNIPPET_CHARS < text.length ? "…" : ""}`;
}

export async function search(db: Executor, userId: string, q: string, limit: number) {
  const memberOf = db
    .select({ id: schema.projectMembers.projectId })
    .from(schema.projectMembers)
    .where(membershipsOf(userId));
  const own = inCredentialReach(null);
  const t = schema.tasks;
  const c = schema.conversations;
  const m = schema.messages;
  const taskVisible = own
    ? or(inArray(t.projectId, memberOf), and(isNull(t.projectId), eq(t.createdById, userId)))
    : inArray(t.projectId, memberOf);
  const chatVisible = own
    ? or(inArray(c.projectId, memberOf), and(isNull(c.projectId), eq(c.createdById, userId)))
    : inArray(c.projectId, memberOf);

  const [tasks, conversations, messages] = await Promise.all([
    db
      .select({ id: t.id, title: t.title, status: t.status, projectId: t.projectId })
      .from(t)
      .where(and(taskVisible, or(contains(t.title, q), contains(sql`coalesce(${t.description}, '')`, q))))
      .orderBy(desc(t.updatedAt), desc(t.id))
      .limit(limit),
    db
      .select({ id: c.id, title: c.title, projectId: c.projectId, taskId: c.taskId })
      .from(c)
      // A task's own conversation is named after it and found as the task.
      .where(and(chatVisible, ne(c.type, "task"), contains(c.title, q)))
      .orderBy(desc(c.lastMessageAt), desc(c.id))
      .limit(limit),
    db
      .select({
        id: m.id,
        conversationId: m.conversationId,
        content: m.content,
        title: c.title,
        createdAt: m.createdAt,
      })
      .from(m)
      .innerJoin(c, eq(c.id, m.conversationId))
      .where(and(chatVisible, ne(m.authorType, "system"), contains(m.content, q)))
      .orderBy(desc(m.createdAt), desc(m.id))
      .limit(limit),
  ]);
  return {
    tasks,
    conversations,
    messages: messages.map((row) => ({
      id: row.id,
      conversationId: row.conversationId,
      conversationTitle: row.title,
      snippet: snippet(row.content, q),
      createdAt: row.createdAt.toISOString(),
    })),
  };
}

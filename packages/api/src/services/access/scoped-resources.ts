// Access to resources that belong either to a project (members see them, by role) or, when unassigned,
// to the one user who created them. Every domain with such resources (conversations, tasks) asks here,
// so the rule is written once: outsiders get 404 (ids cannot be probed), members below the role get 403.
import { type Executor, preparedOn, schema } from "@crewdeck/db";
import { eq, sql } from "drizzle-orm";
import { notFound } from "../../errors";
import { assertRole, findMembership, inCredentialReach, type MemberRole } from "../projects/access";

type ConversationRow = typeof schema.conversations.$inferSelect;
type TaskRow = typeof schema.tasks.$inferSelect;

/** The caller's role over a resource: their project role, or `owner` of their own unassigned resource. */
export async function roleOver(
  db: Executor,
  resource: { projectId: string | null; createdById: string | null },
  userId: string,
): Promise<MemberRole | null> {
  if (resource.projectId === null) {
    return resource.createdById === userId && inCredentialReach(null) ? "owner" : null;
  }
  const membership = await findMembership(db, resource.projectId, userId);
  return membership?.role ?? null;
}

async function authorise<T extends { projectId: string | null; createdById: string | null }>(
  db: Executor,
  row: T | undefined,
  what: string,
  userId: string,
  minRole: MemberRole,
): Promise<{ row: T; role: MemberRole }> {
  if (!row) throw notFound(what);
  const role = assertRole(await roleOver(db, row, userId), minRole, what);
  return { row, role };
}

/** Every conversation request starts here: the statement is built once per executor. */
const conversationById = preparedOn((db) =>
  db
    .select()
    .from(schema.conversations)
    .where(eq(schema.conversations.id, sql.placeholder("conversationId")))
    .limit(1)
    .prepare(),
);

/** A conversation the caller may act on with at least `minRole`. */
export async function loadConversation(
  db: Executor,
  conversationId: string,
  userId: string,
  minRole: MemberRole,
): Promise<{ row: ConversationRow; role: MemberRole }> {
  const row = await conversationById(db).get({ conversationId });
  return authorise(db, row, "Conversation", userId, minRole);
}

/** A task the caller may act on with at least `minRole`. */
export async function loadTask(
  db: Executor,
  taskId: string,
  userId: string,
  minRole: MemberRole,
): Promise<{ row: TaskRow; role: MemberRole }> {
  const row = await db.query.tasks.findFirst({ where: eq(schema.tasks.id, taskId) });
  return authorise(db, row, "Task", userId, minRole);
}

// The audit log: security events written beside the change they record (in its transaction where there is
// one), read by administrators. Details describe the event and never carry a secret.
import { type Executor, type PageRequest, pageOffset, schema, toPage } from "@crewdeck/db";
import type { AuditAction } from "@crewdeck/domain";
import { and, count, desc, eq, or, type SQL } from "drizzle-orm";
import type { RequestInfo } from "../../context";
import { iso } from "../../lib/schemas";

export type AuditEvent = {
  action: AuditAction;
  actorUserId?: string | null | undefined;
  subjectUserId?: string | null | undefined;
  /** Where the request came from; absent for events no request caused. */
  request?: Pick<RequestInfo, "clientIp" | "headers"> | undefined;
  details?: Record<string, unknown> | undefined;
};

/** Names that hold credentials: a caller's mistake must not put one in the log. */
const SECRET_FIELD = /pass(word)?|secret|token|^key$|code|totp|otp/i;

const withoutSecrets = (details: Record<string, unknown>): Record<string, unknown> =>
  Object.fromEntries(Object.entries(details).filter(([name]) => !SECRET_FIELD.test(name)));

/** One line for the server log, whose collectors parse JSON. */
export const auditLogLine = (event: AuditEvent): string =>
  JSON.stringify({
    audit: event.action,
    actorUserId: event.actorUserId ?? null,
    subjectUserId: event.subjectUserId ?? null,
    ip: event.request?.clientIp ?? null,
    details: withoutSecrets(event.details ?? {}),
  });

export async function recordAuditEvent(
  executor: Executor,
  event: AuditEvent,
  log?: { info: (message: string) => void },
): Promise<void> {
  await executor.insert(schema.auditEvents).values({
    action: event.action,
    actorUserId: event.actorUserId ?? null,
    subjectUserId: event.subjectUserId ?? null,
    ip: event.request?.clientIp ?? null,
    userAgent: event.request?.headers.get("user-agent")?.slice(0, 512) ?? null,
    details: withoutSecrets(event.details ?? {}),
  });
  log?.info(auditLogLine(event));
}

export type AuditEventFilters = { action?: AuditAction | undefined; userId?: string | undefined };

type AuditRow = typeof schema.auditEvents.$inferSelect;

const toAuditEventDto = (row: AuditRow) => ({
  id: row.id,
  createdAt: iso(row.createdAt),
  action: row.action,
  actorUserId: row.actorUserId,
  subjectUserId: row.subjectUserId,
  ip: row.ip,
  userAgent: row.userAgent,
  details: row.details,
});

/** Newest first; `userId` matches the actor or the subject. */
export async function listAuditEvents(db: Executor, filters: AuditEventFilters, page: PageRequest) {
  const a = schema.auditEvents;
  const conditions: SQL[] = [];
  if (filters.action) conditions.push(eq(a.action, filters.action));
  if (filters.userId)
    conditions.push(or(eq(a.actorUserId, filters.userId), eq(a.subjectUserId, filters.userId))!);
  const where = conditions.length > 0 ? and(...conditions) : undefined;
  const [rows, [total]] = await Promise.all([
    db
      .select()
      .from(a)
      .where(where)
      .orderBy(desc(a.createdAt), desc(a.id))
      .limit(page.limit)
      .offset(pageOffset(page)),
    db.select({ n: count() }).from(a).where(where),
  ]);
  return toPage(rows.map(toAuditEventDto), total?.n ?? 0, page);
}

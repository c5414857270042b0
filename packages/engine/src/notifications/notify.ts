// How any domain tells people about something (a budget alert, a finished task, an emergency pause).
import { type Executor, schema } from "@crewdeck/db";
import { type MemberRole, type NotificationKind, notificationKindOf, roleAtLeast } from "@crewdeck/domain";
import { and, eq, inArray } from "drizzle-orm";
import { type NotificationDto, toNotificationDto } from "./notification-dto";

export type NotificationInput = {
  /** What happened, e.g. `budget_alert`, `task_completed`; clients pick an icon and a link by it. */
  type: string;
  severity?: schema.NotificationSeverity | undefined;
  title: string;
  message: string;
  /** Ids a client needs to link to the subject (`{ taskId }`, `{ projectId, limitId }`, …). */
  data?: schema.NotificationData | undefined;
};

/**
 * Called once per stored notification. This is the seam for the `notification` live event (§4): the agent
 * engine will pass the event bus's `publish` here; until then nothing listens. It runs after the insert, so
 * when `db` is a transaction, publish after the commit instead, or a rolled-back notice would reach clients.
 */
export type OnNotificationCreated = (userId: string, notification: NotificationDto) => void | Promise<void>;

export type NotifyOptions = { onCreated?: OnNotificationCreated | undefined };

/** The people among `userIds` who have not turned this kind of notice off (every kind is on by default). */
async function wantedBy(db: Executor, userIds: string[], type: string): Promise<string[]> {
  const kind = notificationKindOf(type);
  if (!kind || userIds.length === 0) return userIds;
  const p = schema.notificationPreferences;
  const off = await db
    .select({ userId: p.userId })
    .from(p)
    .where(and(eq(p.kind, kind), eq(p.enabled, false), inArray(p.userId, userIds)));
  if (off.length === 0) return userIds;
  const declined = new Set(off.map((row) => row.userId));
  return userIds.filter((id) => !declined.has(id));
}

async function store(
  db: Executor,
  recipients: string[],
  input: NotificationInput,
  { onCreated }: NotifyOptions,
): Promise<NotificationDto[]> {
  const userIds = await wantedBy(db, recipients, input.type);
  if (userIds.length === 0) return [];
  const rows = await db
    .insert(schema.notifications)
    .values(
      userIds.map((userId) => ({
        userId,
        type: input.type,
        severity: input.severity ?? "info",
        title: input.title,
        message: input.message,
        data: input.data ?? {},
      })),
    )
    .returning();
  const notifications = rows.map((row) => ({ userId: row.userId, dto: toNotificationDto(row) }));
  if (onCreated) {
    for (const { userId, dto } of notifications) await onCreated(userId, dto);
  }
  return notifications.map((n) => n.dto);
}

/** Types of notice a person may turn off (see `notificationKindOf`). */
type OptionalNoticeType = NotificationKind | "project_invitation";

/** What `notifyUser` returns for a type: null is possible only where the person may have turned it off. */
export type NotifyResult<T extends string> = string extends T
  ? NotificationDto | null
  : T extends OptionalNoticeType
    ? NotificationDto | null
    : NotificationDto;

/**
 * Stores a notification for one user and returns it as the API serves it; null when they turned this kind
 * of notice off.
 */
export async function notifyUser<T extends string>(
  db: Executor,
  input: NotificationInput & { userId: string; type: T },
  options: NotifyOptions = {},
): Promise<NotifyResult<T>> {
  const [notification] = await store(db, [input.userId], input, options);
  return (notification ?? null) as NotifyResult<T>;
}

/** Notifies every member of a project, or only those with at least `minRole` (say, owners for budget limits). */
export async function notifyProjectMembers(
  db: Executor,
  projectId: string,
  input: NotificationInput,
  options: NotifyOptions & {
    minRole?: MemberRole | undefined;
    /** Who caused it (say, the person who merged): they know already. */
    except?: string | null | undefined;
  } = {},
): Promise<NotificationDto[]> {
  const members = await db
    .select({ userId: schema.projectMembers.userId, role: schema.projectMembers.role })
    .from(schema.projectMembers)
    .where(eq(schema.projectMembers.projectId, projectId));
  const minRole = options.minRole ?? "viewer";
  const userIds = members
    .filter((m) => roleAtLeast(m.role, minRole) && m.userId !== options.except)
    .map((m) => m.userId);
  return store(db, userIds, input, options);
}

// How any domain tells people about something (a budget alert, a finished task, an emergency pause).
import { type Executor, schema } from "@crewdeck/db";
import { type MemberRole, roleAtLeast } from "@crewdeck/domain";
import { eq } from "drizzle-orm";
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

async function store(
  db: Executor,
  userIds: string[],
  input: NotificationInput,
  { onCreated }: NotifyOptions,
): Promise<NotificationDto[]> {
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

/** Stores a notification for one user and returns it as the API serves it. */
export async function notifyUser(
  db: Executor,
  input: NotificationInput & { userId: string },
  options: NotifyOptions = {},
): Promise<NotificationDto> {
  const [notification] = await store(db, [input.userId], input, options);
  if (!notification) throw new Error("notification insert returned nothing");
  return notification;
}

/** Notifies every member of a project, or only those with at least `minRole` (say, owners for budget limits). */
export async function notifyProjectMembers(
  db: Executor,
  projectId: string,
  input: NotificationInput,
  options: NotifyOptions & { minRole?: MemberRole | undefined } = {},
): Promise<NotificationDto[]> {
  const members = await db
    .select({ userId: schema.projectMembers.userId, role: schema.projectMembers.role })
    .from(schema.projectMembers)
    .where(eq(schema.projectMembers.projectId, projectId));
  const minRole = options.minRole ?? "viewer";
  const userIds = members.filter((m) => roleAtLeast(m.role, minRole)).map((m) => m.userId);
  return store(db, userIds, input, options);
}

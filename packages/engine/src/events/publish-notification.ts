// The `notification` live event (§4): each stored notification reaches its one recipient's streams.
import type { NotificationDto } from "../notifications/notification-dto";
import type { OnNotificationCreated } from "../notifications/notify";
import type { EventBus } from "./bus";

/**
 * The `onCreated` hook for `notifyUser` / `notifyProjectMembers` outside a transaction: publishes each
 * notification as it is stored.
 */
export function publishNotification(bus: EventBus): OnNotificationCreated {
  return async (userId, notification) => {
    await bus.publish({ type: "notification", scope: { userId }, payload: notification });
  };
}

/**
 * For notifications stored inside a transaction: `onCreated` only collects them, and `publish()` (called
 * after the commit) sends them. A rolled-back notice never reaches anyone, and the bus never waits on a
 * write lock the transaction holds.
 */
export function collectNotifications(bus: EventBus): {
  onCreated: OnNotificationCreated;
  publish: () => Promise<void>;
} {
  const collected: { userId: string; notification: NotificationDto }[] = [];
  const send = publishNotification(bus);
  return {
    onCreated: (userId, notification) => {
      collected.push({ userId, notification });
    },
    publish: async () => {
      for (const { userId, notification } of collected.splice(0)) await send(userId, notification);
    },
  };
}

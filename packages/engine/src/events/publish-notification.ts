// The `notification` live event (§4): each stored notification reaches its one recipient's streams.
import type { OnNotificationCreated } from "../notifications/notify";
import type { EventPublisher } from "./outbox";

/**
 * The `onCreated` hook for `notifyUser` / `notifyProjectMembers`: publishes each notification as it is
 * stored, on the bus, or (inside a transaction) on its outbox (`transactionWithEvents`), so the notice is
 * announced if and only if it is committed.
 */
export function publishNotification(bus: EventPublisher): OnNotificationCreated {
  return async (userId, notification) => {
    await bus.publish({ type: "notification", scope: { userId }, payload: notification });
  };
}

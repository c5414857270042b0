// Marking notifications read, shared by the bell and the notifications page.
import { useMutation, useQueryClient } from "@tanstack/react-query";
import { useNavigate } from "react-router";
import { useTRPC } from "../../lib/trpc";
import { type Notification, notificationLink } from "./notification-view";

export function useNotificationActions() {
  const trpc = useTRPC();
  const queryClient = useQueryClient();
  const navigate = useNavigate();
  const refresh = () => void queryClient.invalidateQueries({ queryKey: trpc.notifications.pathKey() });
  const markRead = useMutation(trpc.notifications.read.mutationOptions({ onSuccess: refresh }));
  const markAllRead = useMutation(trpc.notifications.readAll.mutationOptions({ onSuccess: refresh }));

  /** Marks it read and goes where it points, if anywhere. */
  const open = (notification: Notification) => {
    if (!notification.isRead) markRead.mutate({ notificationId: notification.id });
    const link = notificationLink(notification);
    if (link) navigate(link);
  };

  return { markRead, markAllRead, open };
}

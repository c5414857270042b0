import { describe, expect, it } from "vitest";
import { bellLabel, notificationLink, unreadBadge } from "./notification-view";

describe("notificationLink", () => {
  it("opens the task a run notification is about", () => {
    expect(notificationLink({ type: "run_failed", data: { taskId: "t1", projectId: "p1" } })).toBe(
      "/tasks/t1",
    );
  });

  it("opens the budgets for budget alerts", () => {
    expect(notificationLink({ type: "budget_alert", data: { limitId: "l1", projectId: "p1" } })).toBe(
      "/budgets",
    );
  });

  it("falls back to the conversation, then the project", () => {
    expect(notificationLink({ type: "mention", data: { conversationId: "c1", projectId: "p1" } })).toBe(
      "/chats/c1",
    );
    expect(notificationLink({ type: "member_added", data: { projectId: "p 1" } })).toBe("/projects/p%201");
  });

  it("follows an explicit in-app link but never one to another site", () => {
    expect(notificationLink({ type: "x", data: { link: "/settings?tab=security" } })).toBe(
      "/settings?tab=security",
    );
    expect(notificationLink({ type: "x", data: { link: "https://evil.example" } })).toBeNull();
    expect(notificationLink({ type: "x", data: { link: "//evil.example" } })).toBeNull();
  });

  it("is null when the notification is about nothing in particular", () => {
    expect(notificationLink({ type: "welcome", data: {} })).toBeNull();
    expect(notificationLink({ type: "x", data: { taskId: 42 } })).toBeNull();
  });
});

describe("bell labels", () => {
  it("names the unread count for screen readers", () => {
    expect(bellLabel(3)).toBe("Notifications, 3 unread");
    expect(bellLabel(0)).toBe("Notifications");
  });

  it("caps the visible count", () => {
    expect(unreadBadge(0)).toBeNull();
    expect(unreadBadge(7)).toBe("7");
    expect(unreadBadge(150)).toBe("99+");
  });
});

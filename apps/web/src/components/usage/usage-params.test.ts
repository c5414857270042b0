import { describe, expect, it } from "vitest";
import { readUsageView, toAnalyticsInput, usageExportPath, withUsageView } from "./usage-params";

describe("the Usage page's address", () => {
  it("reads the defaults from a plain address, and ignores values the page does not offer", () => {
    expect(readUsageView(new URLSearchParams())).toEqual({ groupBy: "model", days: 30, granularity: "day" });
    expect(readUsageView(new URLSearchParams("groupBy=day&days=12&granularity=hour"))).toEqual({
      groupBy: "model",
      days: 30,
      granularity: "day",
    });
  });

  it("round-trips a view, leaving defaults out of the address", () => {
    let params = withUsageView(new URLSearchParams("x=1"), "groupBy", "agent");
    params = withUsageView(params, "days", 7);
    params = withUsageView(params, "granularity", "week");
    expect(params.toString()).toBe("x=1&groupBy=agent&days=7&granularity=week");
    expect(readUsageView(params)).toEqual({ groupBy: "agent", days: 7, granularity: "week" });
    expect(withUsageView(params, "days", 30).toString()).toBe("x=1&groupBy=agent&granularity=week");
  });

  it("sends the range, grouping and bucket with the person's time zone", () => {
    expect(toAnalyticsInput({ groupBy: "user", days: 90, granularity: "month" }, "Asia/Kolkata")).toEqual({
      groupBy: "user",
      granularity: "month",
      timeRange: 90,
      tz: "Asia/Kolkata",
    });
  });

  it("addresses the CSV export of the site, a project or a task for the range answered", () => {
    const range = { startDate: "2026-01-01", endDate: "2026-01-31", tz: "Europe/Berlin" };
    expect(usageExportPath({ kind: "site" }, range)).toBe(
      "/api/v1/usage/export?startDate=2026-01-01&endDate=2026-01-31&tz=Europe%2FBerlin",
    );
    expect(usageExportPath({ kind: "project", projectId: "p 1" })).toBe(
      "/api/v1/usage/projects/p%201/export",
    );
    expect(usageExportPath({ kind: "task", taskId: "t1" })).toBe("/api/v1/usage/tasks/t1/export");
  });
});

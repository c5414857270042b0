import { describe, expect, it } from "vitest";
import { listInput, readFilters, writeFilters } from "./notification-filters";

describe("notification filters", () => {
  it("reads the plain address as every notification, first page", () => {
    expect(readFilters(new URLSearchParams())).toEqual({ show: "all", severity: null, page: 1 });
  });

  it("ignores values it does not know", () => {
    expect(readFilters(new URLSearchParams("show=spam&severity=loud&page=-3"))).toEqual({
      show: "all",
      severity: null,
      page: 1,
    });
  });

  it("round-trips through the address", () => {
    const filters = { show: "unread", severity: "critical", page: 3 } as const;
    expect(readFilters(writeFilters(filters))).toEqual(filters);
    expect(writeFilters({ show: "all", severity: null, page: 1 }).toString()).toBe("");
  });

  it("asks the API for unread or read ones only when filtered", () => {
    expect(listInput({ show: "unread", severity: null, page: 1 }, 20)).toEqual({
      page: 1,
      limit: 20,
      isRead: false,
    });
    expect(listInput({ show: "read", severity: "warning", page: 2 }, 20)).toEqual({
      page: 2,
      limit: 20,
      isRead: true,
      severity: "warning",
    });
    expect(listInput({ show: "all", severity: null, page: 1 }, 20)).toEqual({ page: 1, limit: 20 });
  });
});

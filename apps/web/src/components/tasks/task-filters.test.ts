import { describe, expect, it } from "vitest";
import {
  hasFilters,
  readTaskFilters,
  TASKS_PER_PAGE,
  toTaskListInput,
  withFilter,
  withPage,
} from "./task-filters";

const params = (query: string) => new URLSearchParams(query);

describe("task filters in the address", () => {
  it("reads the filters it knows and ignores values the API would refuse", () => {
    expect(readTaskFilters(params("projectId=p1&status=review&priority=urgent&q=login&page=3"))).toEqual({
      projectId: "p1",
      status: "review",
      priority: "urgent",
      search: "login",
      page: 3,
    });
    expect(readTaskFilters(params("status=done&priority=critical&page=-2&projectId="))).toEqual({
      projectId: null,
      status: null,
      priority: null,
      search: "",
      page: 1,
    });
  });

  it("sets or clears one filter and goes back to the first page", () => {
    const next = withFilter(params("status=review&page=4"), "priority", "high");
    expect(next.toString()).toBe("status=review&priority=high");
    expect(withFilter(next, "status", null).toString()).toBe("priority=high");
  });

  it("keeps page 1 out of the address", () => {
    expect(withPage(params("q=x"), 2).toString()).toBe("q=x&page=2");
    expect(withPage(params("q=x&page=2"), 1).toString()).toBe("q=x");
  });

  it("sends only the filters that are set, with the search trimmed", () => {
    expect(toTaskListInput(readTaskFilters(params("")))).toEqual({ page: 1, limit: TASKS_PER_PAGE });
    expect(toTaskListInput(readTaskFilters(params("projectId=unassigned&q=%20%20")))).toEqual({
      page: 1,
      limit: TASKS_PER_PAGE,
      projectId: "unassigned",
    });
    expect(
      toTaskListInput(readTaskFilters(params("status=pending&priority=low&q=%20oauth%20&page=2"))),
    ).toEqual({
      page: 2,
      limit: TASKS_PER_PAGE,
      status: "pending",
      priority: "low",
      search: "oauth",
    });
  });

  it("cuts a search to the 200 characters the API accepts", () => {
    const input = toTaskListInput(readTaskFilters(params(`q=${"a".repeat(300)}`)));
    expect(input.search).toHaveLength(200);
  });

  it("knows when any filter is set", () => {
    expect(hasFilters(readTaskFilters(params("page=2")))).toBe(false);
    expect(hasFilters(readTaskFilters(params("q=%20")))).toBe(false);
    expect(hasFilters(readTaskFilters(params("priority=low")))).toBe(true);
  });
});

import { describe, expect, it } from "vitest";
import {
  isUnlisted,
  nextPage,
  offersSearch,
  type ProjectOption,
  projectOptions,
  startingProject,
} from "./project-options";

const project = (id: string, role: ProjectOption["role"] = "owner") =>
  ({ id, name: id, role }) as ProjectOption;
const page = (n: number, pages: number, ids: string[]) => ({
  page: n,
  pages,
  items: ids.map((id) => project(id)),
});

describe("projectOptions", () => {
  it("lists the projects of every page loaded, in order, once each", () => {
    // A project created between two page loads shifts the pages: the one at the edge comes twice.
    const pages = [page(1, 2, ["a", "b"]), page(2, 2, ["b", "c"])];
    expect(projectOptions(pages, () => true).map((p) => p.id)).toEqual(["a", "b", "c"]);
  });

  it("offers only the projects the form allows", () => {
    const pages = [{ page: 1, pages: 1, items: [project("a", "viewer"), project("b", "maintainer")] }];
    expect(projectOptions(pages, (p) => p.role !== "viewer").map((p) => p.id)).toEqual(["b"]);
  });
});

describe("nextPage", () => {
  it("asks for the following page until the last one is loaded", () => {
    expect(nextPage({ page: 1, pages: 3 })).toBe(2);
    expect(nextPage({ page: 3, pages: 3 })).toBeUndefined();
    expect(nextPage({ page: 1, pages: 0 })).toBeUndefined();
  });
});

describe("isUnlisted", () => {
  const leading = [{ value: "" }, { value: "all" }];
  it("keeps a chosen project that no loaded page lists", () => {
    expect(isUnlisted("p9", leading, [{ id: "p1" }])).toBe(true);
  });
  it("is not needed for a listed project, a leading choice or nothing", () => {
    expect(isUnlisted("p1", leading, [{ id: "p1" }])).toBe(false);
    expect(isUnlisted("all", leading, [])).toBe(false);
    expect(isUnlisted("", [], [])).toBe(false);
  });
});

describe("offersSearch", () => {
  it("shows a search box only for more than one page of projects", () => {
    expect(offersSearch("", "", { page: 1, pages: 1 })).toBe(false);
    expect(offersSearch("", "", undefined)).toBe(false);
    expect(offersSearch("", "", { page: 1, pages: 2 })).toBe(true);
  });
  it("keeps it while a search is typed or applied, even when it finds one page", () => {
    expect(offersSearch("web", "", { page: 1, pages: 1 })).toBe(true);
    expect(offersSearch("", "web", { page: 1, pages: 1 })).toBe(true);
  });
});

describe("startingProject", () => {
  const projects = [project("a", "maintainer"), project("v", "viewer")];
  it("starts in the project the screen is filtered to when the person may write there", () => {
    expect(startingProject(projects, "a")).toBe("a");
  });
  it("starts outside projects when unfiltered, filtered to one they only view, or to one they lack", () => {
    expect(startingProject(projects, null)).toBe("");
    expect(startingProject(projects, "v")).toBe("");
    expect(startingProject(projects, "gone")).toBe("");
  });
});

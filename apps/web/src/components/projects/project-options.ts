// What the project picker offers: the person's projects from the pages of 100 loaded so far, the next page
// to load, and when a search box is needed.
import type { RouterOutputs } from "../../lib/trpc";

export type ProjectOption = RouterOutputs["projects"]["list"]["items"][number];

/** The projects a picker offers from the pages loaded so far; the chosen one stays even when unlisted. */
export function projectOptions(
  pages: readonly { items: readonly ProjectOption[] }[],
  include: (project: ProjectOption) => boolean,
): ProjectOption[] {
  const seen = new Set<string>();
  const options: ProjectOption[] = [];
  for (const project of pages.flatMap((page) => page.items)) {
    if (seen.has(project.id) || !include(project)) continue;
    seen.add(project.id);
    options.push(project);
  }
  return options;
}

type PageInfo = { page: number; pages: number };

/** The page after the last one loaded, while there is one. */
export const nextPage = (last: PageInfo): number | undefined =>
  last.page < last.pages ? last.page + 1 : undefined;

/** Whether the chosen value is a project none of the loaded pages (nor the leading choices) lists. */
export const isUnlisted = (
  value: string,
  leading: readonly { value: string }[],
  options: readonly { id: string }[],
): boolean =>
  value !== "" && !leading.some((choice) => choice.value === value) && !options.some((p) => p.id === value);

/** A search box shows once there is more than one page, and stays while a search is typed or applied. */
export const offersSearch = (typed: string, search: string, firstPage: PageInfo | undefined): boolean =>
  search !== "" || typed !== "" || (firstPage?.pages ?? 0) > 1;

/** Whether the person may put work in the project: the server refuses viewers who create or move tasks and chats. */
export const writableProject = (project: { role: string }): boolean => project.role !== "viewer";

/** The leading choice of a picker whose item may belong to no project. */
export const NO_PROJECT: readonly { value: string; label: string }[] = [{ value: "", label: "No project" }];

/** Where a new item starts: the project the screen is filtered to when the person may write there, else none. */
export const startingProject = (
  projects: readonly { id: string; role: string }[],
  filteredTo: string | null,
): string =>
  filteredTo && projects.some((p) => p.id === filteredTo && writableProject(p)) ? filteredTo : "";

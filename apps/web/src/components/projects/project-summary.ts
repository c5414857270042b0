// Figures across all of a person's projects, for the overview's opening line.

type ProjectStats = {
  stats: { totalTasks: number; completedTasks: number; activeConversations: number; todayCostUsd: number };
};

export type ProjectsSummary = {
  projects: number;
  openTasks: number;
  activeConversations: number;
  todayCostUsd: number;
};

export function summariseProjects(projects: readonly ProjectStats[]): ProjectsSummary {
  return projects.reduce<ProjectsSummary>(
    (sum, { stats }) => ({
      projects: sum.projects + 1,
      openTasks: sum.openTasks + Math.max(0, stats.totalTasks - stats.completedTasks),
      activeConversations: sum.activeConversations + stats.activeConversations,
      todayCostUsd: sum.todayCostUsd + stats.todayCostUsd,
    }),
    { projects: 0, openTasks: 0, activeConversations: 0, todayCostUsd: 0 },
  );
}

/** A whole percentage for a progress bar, whatever the server's rounding. */
export const progressPercent = (progress: number): number =>
  Number.isFinite(progress) ? Math.min(100, Math.max(0, Math.round(progress))) : 0;

export const plural = (count: number, one: string, many = `${one}s`): string =>
  `${count} ${count === 1 ? one : many}`;

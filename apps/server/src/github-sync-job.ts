// The scheduled GitHub sync: every GITHUB_SYNC_INTERVAL_MINUTES, the issues and pull requests of every project
// with linked repositories. A round never overlaps the previous one, and failures are logged, never thrown.
import { syncLinkedProjects } from "@crewdeck/api";
import type { GitHubDeps } from "@crewdeck/github";
import type { Logger } from "./http/app";

export type GitHubSyncJob = {
  /** One round now (what the timer runs); resolves when it is done, or at once if one is under way. */
  runOnce: () => Promise<void>;
  /** Stops the timer and waits for a round under way. */
  stop: () => Promise<void>;
};

export function startGitHubSyncJob(
  github: GitHubDeps,
  intervalMinutes: number,
  logger: Logger,
): GitHubSyncJob {
  let running: Promise<void> | null = null;
  const runOnce = () => {
    if (running) return running;
    running = (async () => {
      try {
        const report = await syncLinkedProjects(github);
        for (const { projectId, error } of report.failed) {
          logger.error(`Scheduled GitHub sync of project ${projectId} failed`, error);
        }
      } catch (error) {
        logger.error("Scheduled GitHub sync failed", error);
      } finally {
        running = null;
      }
    })();
    return running;
  };
  const timer = intervalMinutes > 0 ? setInterval(() => void runOnce(), intervalMinutes * 60_000) : null;
  timer?.unref();
  return {
    runOnce,
    stop: async () => {
      if (timer) clearInterval(timer);
      await running;
    },
  };
}

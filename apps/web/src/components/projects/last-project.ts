// The project the person was last looking at, so pages outside any project (the Tasks page reached from the
// menu) can start new things there instead of in "No project", where a task can never start.
const KEY = "crewdeck.lastProjectId";

export function rememberProject(projectId: string): void {
  try {
    sessionStorage.setItem(KEY, projectId);
  } catch {
    // Storage refused (private mode, quota): the default is only a convenience.
  }
}

export function lastProject(): string | null {
  try {
    return sessionStorage.getItem(KEY);
  } catch {
    return null;
  }
}

// The branch a task's work lands on: `crewdeck/<short task id>-<slug of the title>`, readable in a pull
// request list and unique per task thanks to the id.

const MAX_SLUG = 40;

export function taskBranchName(taskId: string, title: string): string {
  const shortId = taskId
    .replace(/[^a-zA-Z0-9]/g, "")
    .slice(0, 8)
    .toLowerCase();
  if (shortId === "") throw new Error(`A task id needs letters or digits to name a branch: "${taskId}"`);
  const slug = title
    .normalize("NFKD")
    .replace(/[\u0300-\u036f]/g, "")
    .toLowerCase()
    .replace(/[^a-z0-9]+/g, "-")
    .slice(0, MAX_SLUG)
    .replace(/^-+|-+$/g, "");
  return slug ? `crewdeck/${shortId}-${slug}` : `crewdeck/${shortId}`;
}

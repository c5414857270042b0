// A revision after a person rejected the crew's pull request: the developer (then QA, when the crew has one)
// works again on the same task, so the same workspace and branch, with the reviewer's feedback as the run's
// instructions; the run's end pushes new commits to the same branch, which updates the same pull request.
import { schema } from "@crewdeck/db";
import { and, asc, eq } from "drizzle-orm";
import type { Engine } from "../engine";
import { EngineError } from "../errors";
import type { AgentRole } from "../roles/catalog";
import { startRun } from "../runs/start-run";

export type StartRevisionRunInput = { taskId: string; feedback: string; userId: string };

/** How a revision run's instructions begin; the run history tells revisions apart by it. */
export const REVISION_INSTRUCTIONS_PREFIX = "Revision requested:";

export const isRevisionRun = (run: { instructions: string | null }) =>
  run.instructions?.startsWith(REVISION_INSTRUCTIONS_PREFIX) ?? false;

const DEVELOPERS: AgentRole[] = ["senior-developer", "junior-developer"];

export async function startRevisionRun(engine: Engine, input: StartRevisionRunInput) {
  const task = await engine.db.query.tasks.findFirst({ where: eq(schema.tasks.id, input.taskId) });
  if (!task?.projectId) throw new EngineError("RESOURCE_NOT_FOUND", "Task not found");
  const crew = await engine.db.query.agents.findMany({
    where: and(eq(schema.agents.projectId, task.projectId), eq(schema.agents.isActive, true)),
    orderBy: [asc(schema.agents.position), asc(schema.agents.createdAt)],
  });
  const developer = DEVELOPERS.flatMap((role) => crew.filter((a) => a.role === role))[0];
  if (!developer) {
    throw new EngineError("VALIDATION_ERROR", "The project has no active developer to revise the change", [
      { field: "pipeline", message: "Add a senior or junior developer to the project's crew" },
    ]);
  }
  const qa = crew.find((a) => a.role === "qa-engineer");
  const pulls = await engine.db.query.pullRequests.findMany({
    columns: { number: true, htmlUrl: true, headBranch: true },
    where: and(eq(schema.pullRequests.taskId, task.id), eq(schema.pullRequests.state, "open")),
    orderBy: [asc(schema.pullRequests.number)],
  });
  return startRun(engine, {
    taskId: task.id,
    userId: input.userId,
    pipeline: qa ? [developer.id, qa.id] : [developer.id],
    instructions: revisionInstructions(input.feedback, pulls),
  });
}

/**
 * What the revision's steps read first: the pull request already exists (so they fix it rather than start
 * over), new commits go to its branch, and the reviewer's words, fenced so they read as data.
 */
export function revisionInstructions(
  feedback: string,
  pulls: { number: number; htmlUrl: string; headBranch: string }[],
): string {
  const named = pulls.map((p) => `#${p.number} (${p.htmlUrl}, branch \`${p.headBranch}\`)`).join(", ");
  const where = named
    ? `The pull request ${named} is already open with the crew's earlier work.`
    : "The crew's earlier work is on the task branch.";
  return [
    `${REVISION_INSTRUCTIONS_PREFIX} a person reviewed the crew's pull request and asked for changes. ${where}`,
    "Change the existing work on the same branch to address the feedback below, rather than starting over; when you are done Crewdeck commits your changes as new commits on that branch and pushes them to the same pull request (do not open another).",
    "",
    "<review-feedback>",
    feedback.trim() || "(no feedback given)",
    "</review-feedback>",
  ].join("\n");
}

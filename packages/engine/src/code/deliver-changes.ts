// The end of a run that changed code: what the agents changed is committed on the task branch (author: the
// agent, trailer `Crewdeck-Task`), pushed, and a pull request is opened — or the open one from that branch
// updated — with the task, its definition of done, what each step did and the commands the crew ran. Every
// part is idempotent (no empty commit, a push of the same head is a no-op, one open pull request per
// branch), so a finish resumed after a crash delivers once.
import { schema } from "@crewdeck/db";
import { openOrUpdatePullRequest } from "@crewdeck/github";
import { and, asc, eq, like } from "drizzle-orm";
import type { Engine } from "../engine";
import { EngineError } from "../errors";
import { transactionWithEvents } from "../events/outbox";
import { publishNotification } from "../events/publish-notification";
import { notifyProjectMembers } from "../notifications/notify";
import { ROLE_CATALOG } from "../roles/catalog";
import { parseRoleOutput } from "../roles/output-contracts";
import { logRun } from "../runs/run-log";
import type { AgentRow, RunRow, TaskRow } from "../runs/step-context";
import { COMMAND_LOG_PREFIX } from "../runs/tool-calls";
import { EDITING_ROLES } from "../tools/workspace-roles";
import { runGitOrThrow } from "../workspaces/git-runner";
import type { CodeDeps } from "./code-deps";
import { gitAccess, openTaskWorkspace } from "./task-workspace";

export type DeliveredPullRequest = { id: string; url: string; created: boolean };

/**
 * Commits, pushes and opens the pull request for the run's changes. Null when the engine works without code,
 * no step of the run could edit, or nothing changed (the run's log says so).
 */
export async function deliverRunChanges(
  engine: Engine,
  runId: string,
  /** The finishing step's answer, not stored yet. */
  finishing: { stepId: string; output: string },
): Promise<DeliveredPullRequest | null> {
  const code = engine.code;
  if (!code) return null;
  const run = await engine.db.query.runs.findFirst({ where: eq(schema.runs.id, runId) });
  const task = run && (await engine.db.query.tasks.findFirst({ where: eq(schema.tasks.id, run.taskId) }));
  if (!run || !task) return null;
  const rows = await engine.db
    .select({ step: schema.runSteps, agent: schema.agents })
    .from(schema.runSteps)
    .leftJoin(schema.agents, eq(schema.agents.id, schema.runSteps.agentId))
    .where(eq(schema.runSteps.runId, run.id))
    .orderBy(asc(schema.runSteps.stepIndex));
  const steps = rows.map((row) =>
    row.step.id === finishing.stepId
      ? { ...row, step: { ...row.step, output: finishing.output, status: "completed" as const } }
      : row,
  );
  const author = steps.find((s) => EDITING_ROLES.includes(s.step.role))?.agent;
  if (!author) return null;
  try {
    return await deliver(engine, code, { run, task, author, steps });
  } catch (error) {
    if (error instanceof EngineError) throw error;
    const message = error instanceof Error ? error.message : String(error);
    throw new EngineError("CONFLICT", `Delivering the run's changes failed: ${message}`);
  }
}

type DeliveryContext = {
  run: RunRow;
  task: TaskRow;
  author: AgentRow;
  steps: { step: typeof schema.runSteps.$inferSelect; agent: AgentRow | null }[];
};

async function deliver(
  engine: Engine,
  code: CodeDeps,
  { run, task, author, steps }: DeliveryContext,
): Promise<DeliveredPullRequest | null> {
  const workspace = await openTaskWorkspace(engine, code, { run, task });
  if (!workspace) return null;
  const commands = await commandsRun(engine, run.id);
  const body = pullRequestBody(task, steps, commands);
  let delivered: DeliveredPullRequest | null = null;
  for (const repository of workspace.repositories) {
    const single = { ...workspace.tool, taskBranch: workspace.taskBranch, repositories: [repository.tool] };
    const [committed] = await code.workspaces.commit(single, {
      taskId: task.id,
      message: commitMessage(task, steps),
      author: { name: author.name, email: `${author.role}+${author.id}@agents.crewdeck.invalid` },
    });
    if (committed?.committed) {
      await logRun(engine.db, run.id, `Committed ${committed.sha.slice(0, 12)} on ${workspace.taskBranch}`);
    }
    const ahead = await runGitOrThrow(
      code.git,
      {
        args: [
          `--git-dir=${repository.tool.gitDir}`,
          "rev-list",
          "--count",
          `refs/remotes/origin/${repository.baseBranch}..HEAD`,
        ],
        cwd: repository.tool.path,
      },
      "Comparing the task branch with its base",
    );
    if (Number(ahead.stdout.trim()) === 0) {
      await logRun(
        engine.db,
        run.id,
        `The run changed nothing in ${repository.row.fullName}: no commit, no pull request`,
      );
      continue;
    }
    const access = await gitAccess(engine, code, repository.row, run);
    if (!access) continue;
    await code.workspaces.push(single, { token: access.token });
    await logRun(engine.db, run.id, `Pushed ${workspace.taskBranch} to ${repository.row.fullName}`);
    const { pullRequest, created } = await openOrUpdatePullRequest(code.github, {
      projectRepositoryId: repository.row.id,
      head: workspace.taskBranch,
      base: repository.baseBranch,
      title: task.title,
      body,
      userId: run.startedById,
      taskId: task.id,
      runId: run.id,
      authoringAgentId: author.id,
    });
    await logRun(
      engine.db,
      run.id,
      `${created ? "Opened" : "Updated"} pull request #${pullRequest.number}: ${pullRequest.htmlUrl}`,
    );
    if (created && task.projectId) {
      // The people who review it; whoever started the run hears of it with the run's end.
      const projectId = task.projectId;
      // Each notice is announced with its row, in one transaction.
      await transactionWithEvents(engine, (tx, events) =>
        notifyProjectMembers(
          tx,
          projectId,
          {
            type: "pull_request_opened",
            title: `Pull request #${pullRequest.number} opened`,
            message: `${author.name} opened “${pullRequest.title}” in ${repository.row.fullName} for review.`,
            data: { taskId: task.id, projectId, pullRequestId: pullRequest.id },
          },
          { minRole: "maintainer", except: run.startedById, onCreated: publishNotification(events) },
        ),
      ).catch((error: unknown) => engine.logger.error("Notifying about a pull request failed", error));
    }
    delivered ??= { id: pullRequest.id, url: pullRequest.htmlUrl, created };
  }
  return delivered;
}

type CommandRun = { role: string; command: string; exit: string };

/** The `bash` commands of the run, from its log (tool-calls.ts writes one line per command). */
async function commandsRun(engine: Engine, runId: string): Promise<CommandRun[]> {
  const rows = await engine.db
    .select({ message: schema.runLogs.message })
    .from(schema.runLogs)
    .where(and(eq(schema.runLogs.runId, runId), like(schema.runLogs.message, `${COMMAND_LOG_PREFIX}%`)))
    .orderBy(asc(schema.runLogs.createdAt), asc(schema.runLogs.id));
  return rows.flatMap(({ message }) => {
    const match = /^Command run by ([^:]+): `(.*)` → exit (\S+)$/.exec(message);
    return match ? [{ role: match[1] ?? "", command: match[2] ?? "", exit: match[3] ?? "" }] : [];
  });
}

/** One line per step: its structured summary, or the start of its answer. */
function stepSummary(step: typeof schema.runSteps.$inferSelect): string {
  if (!step.output) return "(no output)";
  const parsed = parseRoleOutput(step.role, step.output);
  if (parsed.ok) {
    const data = parsed.data as Record<string, unknown>;
    if (typeof data.summary === "string") return data.summary;
    if (typeof data.verdict === "string") return `verdict: ${data.verdict}`;
    if (typeof data.goal === "string") return data.goal;
    if (typeof data.design === "string") return data.design;
  }
  const text = (parsed.markdown || step.output).replace(/\s+/g, " ").trim();
  return text.length > 300 ? `${text.slice(0, 300)}…` : text;
}

function pullRequestBody(task: TaskRow, steps: DeliveryContext["steps"], commands: CommandRun[]): string {
  const sections = [`Crewdeck task \`${task.id}\`: **${task.title}**`];
  if (task.description?.trim()) sections.push(task.description.trim());
  if (task.definitionOfDone?.trim()) sections.push(`## Definition of done\n${task.definitionOfDone.trim()}`);
  const done = steps
    .filter(({ step }) => step.status === "completed" || step.output)
    .map(({ step, agent }) => `- **${agent?.name ?? step.role}** (${step.role}): ${stepSummary(step)}`);
  if (done.length > 0) sections.push(`## What each step did\n${done.join("\n")}`);
  const tests = commands.map((c) => `- \`${c.command}\` (${c.role}): exit ${c.exit}`);
  sections.push(
    `## Tests run\n${tests.length > 0 ? tests.join("\n") : "No command was run by the crew; the change is untested."}`,
  );
  return sections.join("\n\n");
}

function commitMessage(task: TaskRow, steps: DeliveryContext["steps"]): string {
  const coding = steps
    .filter(({ step }) => ROLE_CATALOG[step.role].touchesCode && EDITING_ROLES.includes(step.role))
    .filter(({ step }) => step.output)
    .map(({ step, agent }) => `- ${agent?.name ?? step.role}: ${stepSummary(step)}`);
  return [task.title, coding.join("\n")].filter(Boolean).join("\n\n");
}

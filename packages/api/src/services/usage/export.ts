// The usage CSV (§2.9): one row per model call with every usage field, for a project, a task or everything
// the caller may see (the site, for an administrator). Read in pages by (time, id) and written as it is read, so a year of calls never
// sits in memory; cells a spreadsheet would run as a formula are escaped by the CSV library.
import { Readable } from "node:stream";
import { type Database, microsToUsd, schema } from "@crewdeck/db";
import { isTimeZone } from "@crewdeck/domain";
import { stringify } from "csv-stringify";
import { and, asc, eq, gt, gte, lt, or, type SQL } from "drizzle-orm";
import { invalid } from "../../errors";
import { loadTask } from "../access/scoped-resources";
import { credentialProjectId } from "../projects/access";
import { type UsageViewer, visibleRecords } from "./figures";
import { resolveRange, visibleProject } from "./reports";
import { formatLocalDate } from "./time-buckets";

const PAGE_SIZE = 1000;

export const USAGE_CSV_COLUMNS = [
  "call_id",
  "created_at",
  "status",
  "outcome",
  "provider",
  "model",
  "provider_message_id",
  "project_id",
  "project_name",
  "task_id",
  "task_title",
  "run_id",
  "run_step_id",
  "conversation_id",
  "agent_id",
  "agent_name",
  "user_id",
  "user_name",
  "input_tokens",
  "output_tokens",
  "cache_read_tokens",
  "cache_write_tokens",
  "total_tokens",
  "cost_usd",
  "duration_ms",
] as const;

export type UsageExportScope =
  | { kind: "project"; projectId: string }
  | { kind: "task"; taskId: string }
  | { kind: "site" };

export type UsageExportRange = { startDate?: string | undefined; endDate?: string | undefined; tz: string };

export type UsageExport = { filename: string; body: ReadableStream<Uint8Array> };

/** A filename part made of what a file system and a Content-Disposition header both take. */
const slug = (text: string) =>
  text
    .normalize("NFKD")
    .replace(/[^A-Za-z0-9]+/g, "-")
    .replace(/^-+|-+$/g, "")
    .toLowerCase()
    .slice(0, 60) || "untitled";

/**
 * Checks the caller may read the scope, and returns the CSV as a stream with its filename. A project or the
 * site defaults to the last 30 days; a task to all of its calls unless a range is given.
 */
export async function exportUsageCsv(
  db: Database,
  viewer: UsageViewer,
  scope: UsageExportScope,
  input: UsageExportRange,
  now: Date,
): Promise<UsageExport> {
  if (!isTimeZone(input.tz)) {
    throw invalid("Unknown time zone", [
      { field: "tz", message: "An IANA time zone such as Europe/Berlin or UTC" },
    ]);
  }
  const u = schema.usageRecords;
  let subject: SQL;
  let name: string;
  if (scope.kind === "project") {
    const project = await visibleProject(db, viewer, scope.projectId);
    subject = eq(u.projectId, project.id);
    name = slug(project.name);
  } else if (scope.kind === "task") {
    const { row } = await loadTask(db, scope.taskId, viewer.userId, "viewer");
    subject = eq(u.taskId, row.id);
    name = `task-${slug(row.title)}`;
  } else {
    // The same calls the reports count for this caller: their projects and own calls, or the site.
    subject = visibleRecords(db, viewer, {}) ?? eq(u.id, u.id);
    name = viewer.isAdmin && !credentialProjectId() ? "site" : "mine";
  }
  const wholeTask = scope.kind === "task" && !input.startDate && !input.endDate;
  const range = wholeTask ? null : resolveRange({ ...input, timeRange: 30 }, now, "day");
  const where = and(
    subject,
    range ? gte(u.createdAt, new Date(range.start)) : undefined,
    range ? lt(u.createdAt, new Date(range.end)) : undefined,
  );
  const span = range ? `${formatLocalDate(range.firstDate)}-to-${formatLocalDate(range.lastDate)}` : "all";
  const csv = stringify({ header: true, columns: [...USAGE_CSV_COLUMNS], escape_formulas: true });
  pipePages(db, where, csv);
  return {
    filename: `crewdeck-usage-${name}-${span}.csv`,
    body: Readable.toWeb(csv) as ReadableStream<Uint8Array>,
  };
}

/** Writes the calls into the stringifier a page at a time, waiting whenever the reader falls behind. */
function pipePages(db: Database, where: SQL | undefined, csv: ReturnType<typeof stringify>) {
  const u = schema.usageRecords;
  // A reader that goes away closes the stream instead of draining it; either ends the wait.
  const drained = () =>
    new Promise<void>((resolve) => {
      const done = () => {
        csv.off("drain", done);
        csv.off("close", done);
        resolve();
      };
      csv.on("drain", done);
      csv.on("close", done);
    });
  void (async () => {
    let after: { at: Date; id: string } | null = null;
    while (!csv.destroyed) {
      const page: Array<{
        call: typeof u.$inferSelect;
        projectName: string | null;
        taskTitle: string | null;
        agentName: string | null;
        userName: string | null;
      }> = await db
        .select({
          call: u,
          projectName: schema.projects.name,
          taskTitle: schema.tasks.title,
          agentName: schema.agents.name,
          userName: schema.users.name,
        })
        .from(u)
        .leftJoin(schema.projects, eq(schema.projects.id, u.projectId))
        .leftJoin(schema.tasks, eq(schema.tasks.id, u.taskId))
        .leftJoin(schema.agents, eq(schema.agents.id, u.agentId))
        .leftJoin(schema.users, eq(schema.users.id, u.userId))
        .where(
          and(
            where,
            after
              ? or(gt(u.createdAt, after.at), and(eq(u.createdAt, after.at), gt(u.id, after.id)))
              : undefined,
          ),
        )
        .orderBy(asc(u.createdAt), asc(u.id))
        .limit(PAGE_SIZE);
      for (const { call, projectName, taskTitle, agentName, userName } of page) {
        const more = csv.write({
          call_id: call.callId ?? call.id,
          created_at: call.createdAt.toISOString(),
          status: call.status,
          outcome: call.outcome,
          provider: call.provider,
          model: call.model,
          provider_message_id: call.providerMessageId ?? "",
          project_id: call.projectId ?? "",
          project_name: projectName ?? "",
          task_id: call.taskId ?? "",
          task_title: taskTitle ?? "",
          run_id: call.runId ?? "",
          run_step_id: call.runStepId ?? "",
          conversation_id: call.conversationId ?? "",
          agent_id: call.agentId ?? "",
          agent_name: agentName ?? "",
          user_id: call.userId ?? "",
          user_name: userName ?? "",
          input_tokens: call.inputTokens,
          output_tokens: call.outputTokens,
          cache_read_tokens: call.cacheReadTokens,
          cache_write_tokens: call.cacheWriteTokens,
          total_tokens: call.inputTokens + call.outputTokens + call.cacheReadTokens + call.cacheWriteTokens,
          cost_usd: microsToUsd(call.costMicros),
          duration_ms: call.durationMs ?? "",
        });
        if (!more && !csv.destroyed) await drained();
      }
      const last = page.at(-1);
      if (!last || page.length < PAGE_SIZE) break;
      after = { at: last.call.createdAt, id: last.call.id };
    }
    if (!csv.destroyed) csv.end();
  })().catch((error: unknown) => csv.destroy(error instanceof Error ? error : new Error(String(error))));
}

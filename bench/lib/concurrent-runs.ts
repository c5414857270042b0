// Run throughput as the scale-out benchmarks measure it: one project (so one crew) per run, because an agent
// works one run at a time; each round makes a task in every project, starts them all at once against the
// fake model, and times until every run has ended, reading the runs table directly.
import type { Child } from "../../apps/server/src/test/child-server";
import { api } from "../../apps/server/src/test/child-server";
import type { FakeAnthropic } from "../../packages/engine/src/testing/index";
import { answersFor } from "../run-overhead";
import type { CrewAgent } from "./server-with-fake-model";

export type CrewedProject = { id: string; crew: CrewAgent[] };

type RunsTable = {
  execute(statement: { sql: string; args: string[] }): Promise<{ rows: ArrayLike<Record<string, unknown>> }>;
};

export async function createCrewedProjects(server: Child, token: string, name: string, count: number) {
  const projects: CrewedProject[] = [];
  for (let i = 0; i < count; i++) {
    const project = await api(server, "POST", "/projects", token, { name: `${name} ${i}` });
    const crew = (await api(server, "GET", `/projects/${project.body.id}/agents`, token)).body.items;
    projects.push({ id: project.body.id, crew });
  }
  return projects;
}

/** Starts one run per project at once through `server`; the milliseconds until all of them completed. */
export async function timeConcurrentRuns(input: {
  label: string;
  server: Child;
  token: string;
  projects: CrewedProject[];
  fake: FakeAnthropic;
  db: RunsTable;
  round: number;
  timeoutMs?: number;
}): Promise<number> {
  const { label, server, token, projects, fake, db } = input;
  const tasks: string[] = [];
  for (const project of projects) {
    const task = await api(server, "POST", "/tasks", token, {
      title: `R${input.round}`,
      projectId: project.id,
    });
    tasks.push(task.body.id);
  }
  const started = performance.now();
  const starts = await Promise.all(
    tasks.map((taskId, i) => {
      fake.enqueue(...answersFor(projects[i]!.crew));
      return api(server, "POST", `/tasks/${taskId}/start`, token, {});
    }),
  );
  const refused = starts.find((s) => s.status !== 200);
  if (refused) throw new Error(`${label}: a run did not start: ${JSON.stringify(refused.body)}`);
  const marks = tasks.map(() => "?").join(",");
  const deadline = Date.now() + (input.timeoutMs ?? 120_000);
  for (;;) {
    const ended = await db.execute({
      sql: `SELECT count(*) AS n, sum(status <> 'completed') AS bad FROM runs WHERE task_id IN (${marks}) AND status IN ('completed','failed','interrupted','cancelled')`,
      args: tasks,
    });
    if (Number(ended.rows[0]?.bad ?? 0) > 0) throw new Error(`${label}: a run did not complete`);
    if (Number(ended.rows[0]?.n ?? 0) === tasks.length) return performance.now() - started;
    if (Date.now() > deadline) {
      const states = await db.execute({
        sql: `SELECT status, current_step FROM runs WHERE task_id IN (${marks})`,
        args: tasks,
      });
      throw new Error(`${label}: runs still under way after the deadline: ${JSON.stringify(states.rows)}`);
    }
    await new Promise((resolve) => setTimeout(resolve, 20));
  }
}

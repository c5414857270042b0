// A task's links to its project's repository, agent and GitHub issue must stay inside that project.
import { type Executor, schema } from "@crewdeck/db";
import { and, eq } from "drizzle-orm";
import { type FieldError, invalid } from "../../errors";

export type TaskReference = {
  /** The request field that named it, reported back when it is wrong. */
  field: string;
  kind: "repository" | "agent" | "issue";
  id: string | null | undefined;
};

const NOUN = { repository: "a repository", agent: "an agent", issue: "a GitHub issue" } as const;

async function belongsToProject(db: Executor, ref: TaskReference & { id: string }, projectId: string) {
  const found =
    ref.kind === "repository"
      ? await db.query.projectRepositories.findFirst({
          columns: { id: true },
          where: and(
            eq(schema.projectRepositories.id, ref.id),
            eq(schema.projectRepositories.projectId, projectId),
          ),
        })
      : ref.kind === "agent"
        ? await db.query.agents.findFirst({
            columns: { id: true },
            where: and(eq(schema.agents.id, ref.id), eq(schema.agents.projectId, projectId)),
          })
        : await db.query.githubIssues.findFirst({
            columns: { id: true },
            where: and(eq(schema.githubIssues.id, ref.id), eq(schema.githubIssues.projectId, projectId)),
          });
  return found !== undefined;
}

/**
 * 400 VALIDATION_ERROR naming every field whose id is not of the task's project. A task outside any
 * project has no repositories, agents or issues, so there any given id is wrong. Null or absent ids
 * are not checked.
 */
export async function assertReferences(
  db: Executor,
  projectId: string | null,
  refs: TaskReference[],
): Promise<void> {
  const given = refs.filter((r): r is TaskReference & { id: string } => typeof r.id === "string");
  const fields: FieldError[] = [];
  if (projectId === null) {
    for (const ref of given) {
      fields.push({ field: ref.field, message: `A task outside a project cannot have ${NOUN[ref.kind]}` });
    }
  } else {
    const found = await Promise.all(given.map((ref) => belongsToProject(db, ref, projectId)));
    given.forEach((ref, i) => {
      if (!found[i]) fields.push({ field: ref.field, message: `Not ${NOUN[ref.kind]} of this project` });
    });
  }
  if (fields.length > 0) {
    throw invalid(`Invalid ${fields.map((f) => f.field).join(", ")}`, fields);
  }
}

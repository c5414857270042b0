// Projects: created with their owner, repositories and default crew in one transaction.

import {
  type Database,
  type Executor,
  type PageRequest,
  pageOffset,
  preparedOn,
  schema,
  toPage,
} from "@crewdeck/db";
import { roleAtLeast } from "@crewdeck/domain";
import { DEFAULT_CREW, defaultModelConfigFor, ROLE_CATALOG } from "@crewdeck/engine";
import { and, asc, count, desc, eq, inArray, or, type SQL, sql } from "drizzle-orm";
import type { ApiDeps } from "../../context";
import { forbidden, invalid, notFound } from "../../errors";
import { changedFields } from "../../lib/changes";
import { iso } from "../../lib/schemas";
import { containsText } from "../../lib/search";
import { deleteProjectLimits } from "../budgets/scope-cleanup";
import { sweepOrphanedFiles } from "../files/storage";
import { membershipsOf } from "./access";
import { listMembers } from "./members";
import {
  type GithubRepoInput,
  repositoryValues,
  syncedRepositoriesOf,
  toRepositoryDto,
} from "./repositories";
import { projectFigures, statsForProjects } from "./stats";

type ProjectRow = typeof schema.projects.$inferSelect;
type ProjectType = (typeof schema.PROJECT_TYPES)[number];
type ProjectStatus = (typeof schema.PROJECT_STATUSES)[number];
type MemberRole = (typeof schema.MEMBER_ROLES)[number];

const toProjectDto = (p: ProjectRow, role: MemberRole) => ({
  id: p.id,
  name: p.name,
  description: p.description,
  color: p.color,
  type: p.type,
  status: p.status,
  isActive: p.isActive,
  ownerId: p.ownerId,
  role,
  pipeline: p.pipeline,
  agentNetwork: p.agentNetwork,
  createdAt: iso(p.createdAt),
  updatedAt: iso(p.updatedAt),
});

async function repositoriesOf(db: Executor, projectIds: string[]) {
  if (projectIds.length === 0) return new Map<string, ReturnType<typeof toRepositoryDto>[]>();
  const rows = await db.query.projectRepositories.findMany({
    where: inArray(schema.projectRepositories.projectId, projectIds),
    orderBy: [asc(schema.projectRepositories.createdAt)],
  });
  const byProject = new Map<string, ReturnType<typeof toRepositoryDto>[]>();
  for (const row of rows) {
    const list = byProject.get(row.projectId) ?? [];
    list.push(toRepositoryDto(row));
    byProject.set(row.projectId, list);
  }
  return byProject;
}

/** One project's repositories, as `repositoriesOf` reads them; built once per executor. */
const repositoriesOfProject = preparedOn((db) =>
  db
    .select()
    .from(schema.projectRepositories)
    .where(eq(schema.projectRepositories.projectId, sql.placeholder("projectId")))
    .orderBy(asc(schema.projectRepositories.createdAt))
    .prepare(),
);

export type ProjectFilters = {
  isActive?: boolean | undefined;
  status?: ProjectStatus | undefined;
  type?: ProjectType | undefined;
  search?: string | undefined;
};

/** The caller's projects (those they are a member of), newest first, with stats and usage. */
export async function listProjects(
  { db }: ApiDeps,
  userId: string,
  filters: ProjectFilters,
  page: PageRequest,
) {
  const p = schema.projects;
  const conditions: SQL[] = [membershipsOf(userId)];
  if (filters.isActive !== undefined) conditions.push(eq(p.isActive, filters.isActive));
  if (filters.status) conditions.push(eq(p.status, filters.status));
  if (filters.type) conditions.push(eq(p.type, filters.type));
  if (filters.search) {
    const match = or(containsText(p.name, filters.search), containsText(p.description, filters.search));
    if (match) conditions.push(match);
  }
  const where = and(...conditions);
  const base = db
    .select()
    .from(p)
    .innerJoin(schema.projectMembers, eq(schema.projectMembers.projectId, p.id));
  const [rows, [total]] = await Promise.all([
    base.where(where).orderBy(desc(p.createdAt), desc(p.id)).limit(page.limit).offset(pageOffset(page)),
    db
      .select({ n: count() })
      .from(p)
      .innerJoin(schema.projectMembers, eq(schema.projectMembers.projectId, p.id))
      .where(where),
  ]);
  const ids = rows.map((r) => r.projects.id);
  const [stats, repositories] = await Promise.all([statsForProjects(db, ids), repositoriesOf(db, ids)]);
  const items = rows.map(({ projects: project, project_members: member }) => ({
    ...toProjectDto(project, member.role),
    repositories: repositories.get(project.id) ?? [],
    ...stats.get(project.id)!,
  }));
  return toPage(items, total?.n ?? 0, page);
}

export type CreateProjectInput = {
  name: string;
  description?: string | undefined;
  color?: string | undefined;
  type?: ProjectType | undefined;
  status?: ProjectStatus | undefined;
  repositories?: GithubRepoInput[] | undefined;
};

/** Creates the project, makes the caller its owner, links its repositories and hires the default crew (§3). */
export async function createProject(deps: ApiDeps, userId: string, input: CreateProjectInput) {
  const repos = input.repositories ?? [];
  const seen = new Set<string>();
  for (const [i, repo] of repos.entries()) {
    if (seen.has(repo.full_name)) {
      throw invalid("A repository is listed twice", [
        { field: `repositories.${i}.full_name`, message: "Duplicate" },
      ]);
    }
    seen.add(repo.full_name);
  }
  const synced = await syncedRepositoriesOf(
    deps.db,
    userId,
    repos.map((r) => r.full_name),
  );
  const syncedAt = deps.github.now();
  const projectId = await deps.db.transaction(async (tx) => {
    const [project] = await tx
      .insert(schema.projects)
      .values({
        name: input.name,
        description: input.description ?? null,
        color: input.color ?? null,
        type: input.type,
        status: input.status,
        ownerId: userId,
      })
      .returning();
    if (!project) throw new Error("project insert returned nothing");
    await tx.insert(schema.projectMembers).values({ projectId: project.id, userId, role: "owner" });
    if (repos.length > 0) {
      await tx.insert(schema.projectRepositories).values(
        repos.map((r) => {
          const row = synced.get(r.full_name);
          return repositoryValues(project.id, r, row && { row, at: syncedAt });
        }),
      );
    }
    await tx.insert(schema.agents).values(
      DEFAULT_CREW.map((role, position) => ({
        projectId: project.id,
        name: ROLE_CATALOG[role].defaultName,
        role,
        modelConfig: defaultModelConfigFor(role),
        position,
      })),
    );
    return project.id;
  });
  return getProject(deps, projectId, "owner");
}

/** The project with its repositories, members, usage by model and agent, and task counts by status. */
export async function getProject(deps: ApiDeps, projectId: string, role: MemberRole) {
  const project = await deps.db.query.projects.findFirst({ where: eq(schema.projects.id, projectId) });
  if (!project) throw notFound("Project");
  return projectDetail(deps, project, role);
}

/** `getProject` for a project row in hand (the membership check read it with the caller's role). */
export async function projectDetail({ db }: ApiDeps, project: ProjectRow, role: MemberRole) {
  const projectId = project.id;
  const [figures, repositories, members] = await Promise.all([
    projectFigures(db, projectId),
    repositoriesOfProject(db).all({ projectId }),
    listMembers(db, projectId),
  ]);
  return {
    ...toProjectDto(project, role),
    repositories: repositories.map(toRepositoryDto),
    members,
    ...figures,
  };
}

export type UpdateProjectInput = Partial<CreateProjectInput> & {
  isActive?: boolean | undefined;
  pipeline?: string[] | undefined;
  agentNetwork?: boolean | undefined;
};

async function checkPipeline(db: Database, projectId: string, pipeline: string[]) {
  if (new Set(pipeline).size !== pipeline.length) {
    throw invalid("The pipeline names an agent twice", [
      { field: "pipeline", message: "Duplicate agent id" },
    ]);
  }
  if (pipeline.length === 0) return;
  const found = await db
    .select({ id: schema.agents.id })
    .from(schema.agents)
    .where(and(eq(schema.agents.projectId, projectId), inArray(schema.agents.id, pipeline)));
  const known = new Set(found.map((a) => a.id));
  const fields = pipeline
    .map((id, i) => ({ id, i }))
    .filter(({ id }) => !known.has(id))
    .map(({ i }) => ({ field: `pipeline.${i}`, message: "Not an agent of this project" }));
  if (fields.length > 0) throw invalid("The pipeline names agents that are not in this project", fields);
}

export async function updateProject(
  deps: ApiDeps,
  projectId: string,
  role: MemberRole,
  input: UpdateProjectInput,
) {
  const { repositories: _ignored, ...changes } = input;
  // Network access for agents' commands is a security setting: the owner's decision, not a maintainer's.
  if (changes.agentNetwork !== undefined && !roleAtLeast(role, "owner")) {
    throw forbidden(`Only the project's owner may change agents' network access; you are ${role}`);
  }
  if (changes.pipeline) await checkPipeline(deps.db, projectId, changes.pipeline);
  const values = changedFields(changes);
  if (values) {
    await deps.db.update(schema.projects).set(values).where(eq(schema.projects.id, projectId));
  }
  return getProject(deps, projectId, role);
}

export async function deleteProject({ db, settings }: ApiDeps, projectId: string) {
  // Members, repositories, agents, conversations, tasks, runs and files cascade from the project row;
  // budget limits name their scope without a foreign key, so they go first, in the same transaction.
  await db.transaction(async (tx) => {
    await deleteProjectLimits(tx, projectId);
    await tx.delete(schema.projects).where(eq(schema.projects.id, projectId));
  });
  await sweepOrphanedFiles(db, settings);
}

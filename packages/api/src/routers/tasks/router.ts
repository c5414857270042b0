import type { z } from "zod";
import { OK, zBool, zId, zOk } from "../../lib/schemas";
import { aliased } from "../../lib/seed-aliases";
import { loadTask } from "../../services/access/scoped-resources";
import { requireProjectRole } from "../../services/projects/access";
import { loadProjectTask } from "../../services/tasks/access";
import { assignTask } from "../../services/tasks/assign";
import { completeTask } from "../../services/tasks/complete";
import { createTask } from "../../services/tasks/create";
import { deleteTask } from "../../services/tasks/delete";
import { getTaskDetail } from "../../services/tasks/detail";
import { getTaskDiff } from "../../services/tasks/diff";
import { listTasks } from "../../services/tasks/list";
import { setTaskRepositoryActive } from "../../services/tasks/repositories";
import { updateTask } from "../../services/tasks/update";
import { authedProcedure, createTRPCRouter, projectProcedure } from "../../trpc";
import {
  zAssignBody,
  zCreateTaskBody,
  zCreateTaskInput,
  zListTasksInput,
  zTaskDetail,
  zTaskDiff,
  zTaskFilters,
  zTaskPage,
  zTaskRef,
  zUpdateTaskInput,
} from "./types";

const tags = ["tasks"];
const path = "/tasks/{taskId}";
const projectPath = "/projects/{projectId}/tasks";

/** Seed 001's project-scoped forms: the same services, with the task required to be in that project. */
const projectAliases = createTRPCRouter({
  list: projectProcedure("viewer")
    .meta({ openapi: { method: "GET", path: projectPath, tags, summary: "A project's tasks" } })
    .input(zTaskFilters)
    .output(zTaskPage)
    .query(({ ctx, input: { projectId, page, limit, ...filters } }) =>
      listTasks(ctx.db, ctx.viewer.user.id, { ...filters, projectId }, { page, limit }),
    ),

  create: projectProcedure("maintainer")
    .meta({ openapi: { method: "POST", path: projectPath, tags, summary: "Create a task in a project" } })
    .input(zCreateTaskBody)
    .output(zTaskDetail)
    .mutation(({ ctx, input: { projectId, ...task } }) =>
      createTask(ctx.db, ctx.viewer.user.id, projectId, taskFromSeedNames(task)),
    ),

  get: projectProcedure("viewer")
    .meta({ openapi: { method: "GET", path: `${projectPath}/{taskId}`, tags, summary: "A project's task" } })
    .input(zTaskRef)
    .output(zTaskDetail)
    .query(async ({ ctx, input }) =>
      getTaskDetail(ctx.db, await loadProjectTask(ctx.db, input.projectId, input.taskId)),
    ),

  assign: projectProcedure("maintainer")
    .meta({
      openapi: {
        method: "POST",
        path: `${projectPath}/{taskId}/assign`,
        tags,
        summary: "Assign a project's task to an agent (null unassigns)",
      },
    })
    .input(zTaskRef.extend(zAssignBody.shape))
    .output(zTaskDetail)
    .mutation(async ({ ctx, input }) =>
      assignTask(ctx.db, await loadProjectTask(ctx.db, input.projectId, input.taskId), input.agentId),
    ),

  complete: projectProcedure("maintainer")
    .meta({
      openapi: {
        method: "POST",
        path: `${projectPath}/{taskId}/complete`,
        tags,
        summary: "Mark a project's task complete",
      },
    })
    .input(zTaskRef)
    .output(zTaskDetail)
    .mutation(async ({ ctx, input }) =>
      completeTask(ctx.db, await loadProjectTask(ctx.db, input.projectId, input.taskId)),
    ),
});

/** A create body with seed 001's snake_case names folded into the contract's. */
export function taskFromSeedNames<T extends z.infer<typeof zCreateTaskBody>>({
  issue_id,
  assigned_to_agent_id,
  definition_of_done,
  ...task
}: T) {
  return {
    ...task,
    issueId: aliased(task.issueId, issue_id),
    assignedToAgentId: aliased(task.assignedToAgentId, assigned_to_agent_id),
    definitionOfDone: aliased(task.definitionOfDone, definition_of_done),
  };
}

export const tasksRouter = createTRPCRouter({
  list: authedProcedure
    .meta({
      projectKey: "narrowed",
      openapi: {
        method: "GET",
        path: "/tasks",
        tags,
        summary: "Tasks of your projects and your own unassigned tasks, newest first",
      },
    })
    .input(zListTasksInput)
    .output(zTaskPage)
    .query(({ ctx, input: { page, limit, ...filters } }) =>
      listTasks(ctx.db, ctx.viewer.user.id, filters, { page, limit }),
    ),

  create: authedProcedure
    .meta({
      projectKey: "narrowed",
      openapi: {
        method: "POST",
        path: "/tasks",
        tags,
        summary: "Create a task, in a project or (without projectId) as your own unassigned task",
      },
    })
    .input(zCreateTaskInput)
    .output(zTaskDetail)
    .mutation(async ({ ctx, input: { projectId, ...task } }) => {
      const userId = ctx.viewer.user.id;
      const project = projectId
        ? (await requireProjectRole(ctx.db, projectId, userId, "maintainer")).project
        : null;
      return createTask(ctx.db, userId, project?.id ?? null, taskFromSeedNames(task));
    }),

  get: authedProcedure
    .meta({
      projectKey: "narrowed",
      openapi: {
        method: "GET",
        path,
        tags,
        summary: "A task with its agent, issue, pull request, progress, result and repositories",
      },
    })
    .input(zTaskRef)
    .output(zTaskDetail)
    .query(async ({ ctx, input }) => {
      const { row } = await loadTask(ctx.db, input.taskId, ctx.viewer.user.id, "viewer");
      return getTaskDetail(ctx.db, row);
    }),

  update: authedProcedure
    .meta({
      projectKey: "narrowed",
      openapi: {
        method: "PATCH",
        path,
        tags,
        summary:
          "Edit a task; status moves only along the allowed transitions, and `projectId` moves it into a project you maintain",
      },
    })
    .input(zUpdateTaskInput)
    .output(zTaskDetail)
    .mutation(async ({ ctx, input: { taskId, ...changes } }) => {
      const userId = ctx.viewer.user.id;
      const { row } = await loadTask(ctx.db, taskId, userId, "maintainer");
      if (changes.projectId !== undefined && changes.projectId !== row.projectId) {
        await requireProjectRole(ctx.db, changes.projectId, userId, "maintainer");
      }
      return updateTask(ctx.db, row, changes);
    }),

  delete: authedProcedure
    .meta({
      projectKey: "narrowed",
      openapi: {
        method: "DELETE",
        path,
        tags,
        summary: "Delete a task and its conversation (refused while a run is active)",
      },
    })
    .input(zTaskRef)
    .output(zOk)
    .mutation(async ({ ctx, input }) => {
      const { row } = await loadTask(ctx.db, input.taskId, ctx.viewer.user.id, "maintainer");
      await deleteTask(ctx, row);
      return OK;
    }),

  assign: authedProcedure
    .meta({
      projectKey: "narrowed",
      openapi: {
        method: "POST",
        path: `${path}/assign`,
        tags,
        summary: "Assign the task to an agent of its project (null unassigns)",
      },
    })
    .input(zTaskRef.extend(zAssignBody.shape))
    .output(zTaskDetail)
    .mutation(async ({ ctx, input }) => {
      const { row } = await loadTask(ctx.db, input.taskId, ctx.viewer.user.id, "maintainer");
      return assignTask(ctx.db, row, input.agentId);
    }),

  complete: authedProcedure
    .meta({
      projectKey: "narrowed",
      openapi: {
        method: "POST",
        path: `${path}/complete`,
        tags,
        summary: "Mark the task complete (a human decision)",
      },
    })
    .input(zTaskRef)
    .output(zTaskDetail)
    .mutation(async ({ ctx, input }) => {
      const { row } = await loadTask(ctx.db, input.taskId, ctx.viewer.user.id, "maintainer");
      return completeTask(ctx.db, row);
    }),

  setRepository: authedProcedure
    .meta({
      projectKey: "narrowed",
      openapi: {
        method: "PATCH",
        path: `${path}/repositories/{repositoryId}`,
        tags,
        summary: "Switch one of the project's repositories on or off for this task",
      },
    })
    .input(zTaskRef.extend({ repositoryId: zId, isActive: zBool }))
    .output(zTaskDetail)
    .mutation(async ({ ctx, input }) => {
      const { row } = await loadTask(ctx.db, input.taskId, ctx.viewer.user.id, "maintainer");
      return setTaskRepositoryActive(ctx.db, row, input.repositoryId, input.isActive);
    }),

  diff: authedProcedure
    .meta({
      projectKey: "narrowed",
      openapi: {
        method: "GET",
        path: `${path}/diff`,
        tags,
        summary:
          "What the task's branch changes against its base, per repository and file, as GitHub compares them; empty before the first pull request",
      },
    })
    .input(zTaskRef)
    .output(zTaskDiff)
    .query(async ({ ctx, input }) => {
      const { row } = await loadTask(ctx.db, input.taskId, ctx.viewer.user.id, "viewer");
      return getTaskDiff(ctx, row, ctx.viewer.user.id);
    }),

  project: projectAliases,
});

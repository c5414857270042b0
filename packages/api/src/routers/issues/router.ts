import { zPageInput } from "../../lib/schemas";
import { listIssues, loadProjectIssue } from "../../services/issues/list";
import { startIssue } from "../../services/issues/start";
import { syncProjectNow } from "../../services/issues/sync";
import { listTasks } from "../../services/tasks/list";
import { createTRPCRouter, projectProcedure } from "../../trpc";
import { zTaskPage } from "../tasks/types";
import { zIssueListInput, zIssuePage, zIssueRef, zStartIssueResult, zSyncResult } from "./types";

const tags = ["issues"];
const path = "/projects/{projectId}/issues";

export const issuesRouter = createTRPCRouter({
  list: projectProcedure("viewer")
    .meta({ openapi: { method: "GET", path, tags, summary: "A project's synced GitHub issues" } })
    .input(zIssueListInput)
    .output(zIssuePage)
    .query(({ ctx, input: { projectId, page, limit, ...filters } }) =>
      listIssues(ctx.db, projectId, filters, { page, limit }),
    ),

  sync: projectProcedure("maintainer")
    .meta({
      openapi: {
        method: "POST",
        path: `${path}/sync`,
        tags,
        summary: "Pull the project's issues and pull requests from GitHub now",
      },
    })
    .output(zSyncResult)
    .mutation(({ ctx, input }) => syncProjectNow(ctx.github, input.projectId, ctx.viewer.user.id)),

  start: projectProcedure("maintainer")
    .meta({
      openapi: {
        method: "POST",
        path: `${path}/{issueId}/start`,
        tags,
        summary:
          "The project's architect reads the issue and files tasks for it, in a conversation of type issue (answers at once; the tasks follow the reply)",
      },
    })
    .input(zIssueRef)
    .output(zStartIssueResult)
    .mutation(async ({ ctx, input }) =>
      startIssue(ctx, {
        issue: await loadProjectIssue(ctx.db, input.projectId, input.issueId),
        user: { id: ctx.viewer.user.id, name: ctx.viewer.user.name },
      }),
    ),

  tasks: projectProcedure("viewer")
    .meta({
      openapi: { method: "GET", path: `${path}/{issueId}/tasks`, tags, summary: "Tasks filed from an issue" },
    })
    .input(zIssueRef.extend(zPageInput.shape))
    .output(zTaskPage)
    .query(async ({ ctx, input }) => {
      const issue = await loadProjectIssue(ctx.db, input.projectId, input.issueId);
      return listTasks(
        ctx.db,
        ctx.viewer.user.id,
        { projectId: input.projectId, issueId: issue.id },
        { page: input.page, limit: input.limit },
      );
    }),
});

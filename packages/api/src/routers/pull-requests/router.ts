import { listPullRequests, loadProjectPullRequest } from "../../services/pull-requests/list";
import { approvePullRequest, rejectPullRequest } from "../../services/pull-requests/review";
import { createTRPCRouter, projectProcedure } from "../../trpc";
import {
  zApproveResult,
  zPullRequestListInput,
  zPullRequestPage,
  zPullRequestRef,
  zRejectBody,
  zRejectResult,
} from "./types";

const tags = ["pull-requests"];
const path = "/projects/{projectId}/pull-requests";

export const pullRequestsRouter = createTRPCRouter({
  list: projectProcedure("viewer")
    .meta({
      openapi: {
        method: "GET",
        path,
        tags,
        summary: "A project's pull requests, with checks, mergeability and the linked task",
      },
    })
    .input(zPullRequestListInput)
    .output(zPullRequestPage)
    .query(({ ctx, input: { projectId, page, limit, ...filters } }) =>
      listPullRequests(ctx.db, projectId, filters, { page, limit }),
    ),

  approve: projectProcedure("maintainer")
    .meta({
      openapi: {
        method: "POST",
        path: `${path}/{pullRequestId}/approve`,
        tags,
        summary:
          "Merge through GitHub when mergeable and the checks passed (else 409 with the reason); the linked task is completed",
      },
    })
    .input(zPullRequestRef)
    .output(zApproveResult)
    .mutation(async ({ ctx, input }) =>
      approvePullRequest(
        ctx,
        await loadProjectPullRequest(ctx.db, input.projectId, input.pullRequestId),
        ctx.viewer.user.id,
      ),
    ),

  reject: projectProcedure("maintainer")
    .meta({
      openapi: {
        method: "POST",
        path: `${path}/{pullRequestId}/reject`,
        tags,
        summary:
          "Comment the feedback on the pull request and start a revision run on the same branch (409 AGENT_BUSY while a run is active)",
      },
    })
    .input(zPullRequestRef.extend(zRejectBody.shape))
    .output(zRejectResult)
    .mutation(async ({ ctx, input }) =>
      rejectPullRequest(
        ctx,
        await loadProjectPullRequest(ctx.db, input.projectId, input.pullRequestId),
        ctx.viewer.user.id,
        input.feedback,
      ),
    ),
});

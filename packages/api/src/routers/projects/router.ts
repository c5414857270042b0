import { OK, zOk } from "../../lib/schemas";
import { createInvitation, personOf } from "../../services/invitations/invitations";
import { listMembers, removeMember, updateMemberRole } from "../../services/projects/members";
import {
  createProject,
  deleteProject,
  listProjects,
  projectDetail,
  updateProject,
} from "../../services/projects/projects";
import { addRepository, reconnectRepository, removeRepository } from "../../services/projects/repositories";
import { authedProcedure, createTRPCRouter, projectProcedure } from "../../trpc";
import { zInvitationCreated } from "../invitations/types";
import {
  zAddMemberInput,
  zCreateProjectInput,
  zGithubRepoInput,
  zListProjectsInput,
  zMember,
  zMemberList,
  zMemberRef,
  zProjectDetail,
  zProjectPage,
  zRepository,
  zRepositoryRef,
  zUpdateMemberInput,
  zUpdateProjectInput,
} from "./types";

const tags = ["projects"];
const memberTags = ["project-members"];
const repoTags = ["project-repositories"];

export const projectsRouter = createTRPCRouter({
  list: authedProcedure
    .meta({
      projectKey: "narrowed",
      openapi: { method: "GET", path: "/projects", tags, summary: "Your projects, with stats and usage" },
    })
    .input(zListProjectsInput)
    .output(zProjectPage)
    .query(({ ctx, input: { page, limit, ...filters } }) =>
      listProjects(ctx, ctx.viewer.user.id, filters, { page, limit }),
    ),

  create: authedProcedure
    .meta({
      projectKey: "refused",
      openapi: {
        method: "POST",
        path: "/projects",
        tags,
        summary: "Create a project; it gets the default crew of six agents",
      },
    })
    .input(zCreateProjectInput)
    .output(zProjectDetail)
    .mutation(({ ctx, input }) => createProject(ctx, ctx.viewer.user.id, input)),

  get: projectProcedure("viewer")
    .meta({ openapi: { method: "GET", path: "/projects/{projectId}", tags, summary: "A project in detail" } })
    .output(zProjectDetail)
    .query(({ ctx }) => projectDetail(ctx, ctx.project, ctx.memberRole)),

  update: projectProcedure("maintainer")
    .meta({ openapi: { method: "PATCH", path: "/projects/{projectId}", tags, summary: "Update a project" } })
    .input(zUpdateProjectInput)
    .output(zProjectDetail)
    .mutation(({ ctx, input: { projectId: _, ...changes } }) =>
      updateProject(ctx, ctx.project.id, ctx.memberRole, changes),
    ),

  delete: projectProcedure("owner")
    .meta({
      openapi: {
        method: "DELETE",
        path: "/projects/{projectId}",
        tags,
        summary: "Delete a project and everything in it",
      },
    })
    .output(zOk)
    .mutation(async ({ ctx }) => {
      await deleteProject(ctx, ctx.project.id);
      return OK;
    }),

  members: createTRPCRouter({
    list: projectProcedure("viewer")
      .meta({
        openapi: {
          method: "GET",
          path: "/projects/{projectId}/members",
          tags: memberTags,
          summary: "Members",
        },
      })
      .output(zMemberList)
      .query(async ({ ctx }) => ({ items: await listMembers(ctx.db, ctx.project.id) })),

    add: projectProcedure("owner")
      .meta({
        secretResponse: true,
        openapi: {
          method: "POST",
          path: "/projects/{projectId}/members",
          tags: memberTags,
          summary: "Invite a member",
          description:
            "Creates a project invitation with the role and answers it with its link (once; `Cache-Control: no-store`). The person becomes a member when they accept it (`POST /invitations/{invitationId}/accept`, or by signing up through the link). The answer has the same shape whether or not the email or userId belongs to an account, and never names anyone, so this cannot be used to look people up; someone who has an account is also notified in the app. 409 CONFLICT if they are already a member.",
        },
      })
      .input(zAddMemberInput)
      .output(zInvitationCreated)
      .mutation(({ ctx, input }) =>
        createInvitation(ctx, personOf(ctx.viewer), { ...input, projectId: ctx.project.id }),
      ),

    update: projectProcedure("owner")
      .meta({
        openapi: {
          method: "PATCH",
          path: "/projects/{projectId}/members/{userId}",
          tags: memberTags,
          summary: "Change a member's role",
        },
      })
      .input(zUpdateMemberInput)
      .output(zMember)
      .mutation(({ ctx, input }) => updateMemberRole(ctx, ctx.project.id, input.userId, input.role)),

    remove: projectProcedure("owner")
      .meta({
        openapi: {
          method: "DELETE",
          path: "/projects/{projectId}/members/{userId}",
          tags: memberTags,
          summary: "Remove a member",
        },
      })
      .input(zMemberRef)
      .output(zOk)
      .mutation(async ({ ctx, input }) => {
        await removeMember(ctx, ctx.project.id, input.userId);
        return OK;
      }),
  }),

  repositories: createTRPCRouter({
    add: projectProcedure("owner")
      .meta({
        openapi: {
          method: "POST",
          path: "/projects/{projectId}/repositories",
          tags: repoTags,
          summary: "Link a GitHub repository; its type follows its language unless given",
        },
      })
      .input(zGithubRepoInput)
      .output(zRepository)
      .mutation(({ ctx, input: { projectId: _, ...repo } }) =>
        addRepository(ctx, ctx.project.id, repo, ctx.viewer.user.id),
      ),

    remove: projectProcedure("owner")
      .meta({
        openapi: {
          method: "DELETE",
          path: "/projects/{projectId}/repositories/{repoId}",
          tags: repoTags,
          summary: "Unlink a repository",
        },
      })
      .input(zRepositoryRef)
      .output(zOk)
      .mutation(async ({ ctx, input }) => {
        await removeRepository(ctx, ctx.project.id, input.repoId);
        return OK;
      }),

    reconnect: projectProcedure("owner")
      .meta({
        openapi: {
          method: "POST",
          path: "/projects/{projectId}/repositories/{repoId}/reconnect",
          tags: repoTags,
          summary:
            "Check real access through GitHub with your connection; sets syncStatus and lastSyncAt, or 502 GITHUB_API_ERROR",
        },
      })
      .input(zRepositoryRef)
      .output(zRepository)
      .mutation(({ ctx, input }) =>
        reconnectRepository(ctx, ctx.project.id, input.repoId, ctx.viewer.user.id),
      ),
  }),
});

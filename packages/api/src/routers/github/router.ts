// GitHub (§2.2): connecting an account, its synced repositories and their branches, and the site's GitHub
// configuration (admin). Procedures check access and call @crewdeck/github; the raw OAuth callback lives in
// apps/server (http/github-callback.ts) and ends in the same services.
import {
  clearGitHubSettings,
  connectGitHub,
  createConnectUrl,
  disconnectGitHub,
  getGitHubStatus,
  listBranches,
  listRepositories,
  setGitHubSettings,
  syncRepositories,
} from "@crewdeck/github";
import { z } from "zod";
import { iso } from "../../lib/schemas";
import {
  describeSettings,
  githubRedirectUri,
  toGitHubRepositoryDto,
  toStatusDto,
} from "../../services/github/github";
import { adminProcedure, authedProcedure, createTRPCRouter } from "../../trpc";
import {
  zBranchList,
  zConnectInput,
  zConnectUrl,
  zDisconnected,
  zGitHubRepositoryPage,
  zGitHubSettings,
  zGitHubStatus,
  zListRepositoriesInput,
  zRepositoryIdInput,
  zSyncInput,
  zSyncResult,
  zUpdateGitHubSettingsInput,
} from "./types";

const tags = ["github"];
const repoTags = ["repositories"];
const adminTags = ["admin"];

export const githubRouter = createTRPCRouter({
  connectUrl: authedProcedure
    .meta({
      projectKey: "refused",
      openapi: {
        method: "GET",
        path: "/github/connect-url",
        tags,
        summary: "GitHub's authorize URL with a single-use state bound to you (10 minutes)",
      },
    })
    .input(z.void())
    .output(zConnectUrl)
    .query(async ({ ctx }) => {
      const url = await createConnectUrl(ctx.github, {
        userId: ctx.viewer.user.id,
        redirectUri: githubRedirectUri(ctx),
      });
      return { ...url, expiresAt: iso(url.expiresAt) };
    }),

  connect: authedProcedure
    .meta({
      projectKey: "refused",
      openapi: {
        method: "POST",
        path: "/github/connect",
        tags,
        summary: "Exchange GitHub's code for a token (stored encrypted), for clients that take the redirect",
      },
    })
    .input(zConnectInput)
    .output(zGitHubStatus)
    .mutation(async ({ ctx, input }) =>
      toStatusDto(
        await connectGitHub(ctx.github, {
          userId: ctx.viewer.user.id,
          ...input,
          redirectUri: githubRedirectUri(ctx),
        }),
      ),
    ),

  status: authedProcedure
    .meta({
      projectKey: "refused",
      openapi: {
        method: "GET",
        path: "/github/status",
        tags,
        summary: "Your GitHub connection; needsReconnect when GitHub refused the stored token",
      },
    })
    .input(z.void())
    .output(zGitHubStatus)
    .query(async ({ ctx }) => toStatusDto(await getGitHubStatus(ctx.github, ctx.viewer.user.id))),

  disconnect: authedProcedure
    .meta({
      projectKey: "refused",
      openapi: {
        method: "DELETE",
        path: "/github/connection",
        tags,
        summary: "Disconnect: forget the token and the synced repositories",
      },
    })
    .input(z.void())
    .output(zDisconnected)
    .mutation(async ({ ctx }) => ({
      success: true as const,
      disconnected: await disconnectGitHub(ctx.github, ctx.viewer.user.id),
    })),

  repositories: createTRPCRouter({
    list: authedProcedure
      .meta({
        projectKey: "refused",
        openapi: {
          method: "GET",
          path: "/repositories",
          tags: repoTags,
          summary: "Your synced GitHub repositories, most recently pushed first",
        },
      })
      .input(zListRepositoriesInput)
      .output(zGitHubRepositoryPage)
      .query(async ({ ctx, input }) => {
        const page = await listRepositories(ctx.github, ctx.viewer.user.id, input);
        return { ...page, items: page.items.map(toGitHubRepositoryDto) };
      }),

    sync: authedProcedure
      .meta({
        projectKey: "refused",
        openapi: {
          method: "POST",
          path: "/repositories/sync",
          tags: repoTags,
          summary: "Sync your repositories from GitHub (unchanged pages cost no rate limit)",
        },
      })
      .input(zSyncInput)
      .output(zSyncResult)
      .mutation(({ ctx, input }) =>
        syncRepositories(ctx.github, ctx.viewer.user.id, { force: input.force ?? false }),
      ),

    branches: authedProcedure
      .meta({
        projectKey: "refused",
        openapi: {
          method: "GET",
          path: "/repositories/{id}/branches",
          tags: repoTags,
          summary: "A synced repository's branches, with head sha and protection",
        },
      })
      .input(zRepositoryIdInput)
      .output(zBranchList)
      .query(async ({ ctx, input }) => ({
        items: await listBranches(ctx.github, ctx.viewer.user.id, input.id),
      })),
  }),

  settings: createTRPCRouter({
    get: adminProcedure
      .meta({
        openapi: {
          method: "GET",
          path: "/admin/github",
          tags: adminTags,
          summary: "The site's GitHub configuration: where it comes from and what is set, never a secret",
        },
      })
      .input(z.void())
      .output(zGitHubSettings)
      .query(({ ctx }) => describeSettings(ctx)),

    update: adminProcedure
      .meta({
        openapi: {
          method: "PUT",
          path: "/admin/github",
          tags: adminTags,
          summary:
            "Store GitHub settings (secrets encrypted); they replace the environment's as a whole. null forgets a field",
        },
      })
      .input(zUpdateGitHubSettingsInput)
      .output(zGitHubSettings)
      .mutation(async ({ ctx, input }) => {
        await setGitHubSettings(ctx.db, ctx.github.secret, input, ctx.viewer.user.id);
        return describeSettings(ctx);
      }),

    delete: adminProcedure
      .meta({
        openapi: {
          method: "DELETE",
          path: "/admin/github",
          tags: adminTags,
          summary: "Forget the stored GitHub settings: the environment's apply again",
        },
      })
      .input(z.void())
      .output(zGitHubSettings)
      .mutation(async ({ ctx }) => {
        await clearGitHubSettings(ctx.db);
        return describeSettings(ctx);
      }),
  }),
});

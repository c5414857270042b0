import { z } from "zod";
import { OK, zOk } from "../../lib/schemas";
import { actorOf } from "../../lib/viewer";
import {
  acceptInvitation,
  acceptInvitationByToken,
  createInvitation,
  declineInvitation,
  listInvitations,
  myInvitations,
  personOf,
  revokeInvitation,
} from "../../services/invitations/invitations";
import { authedProcedure, createTRPCRouter } from "../../trpc";
import {
  zAcceptByTokenInput,
  zAccepted,
  zCreateInvitationInput,
  zInvitationCreated,
  zInvitationPage,
  zInvitationRef,
  zListInvitationsInput,
  zMyInvitations,
} from "./types";

const tags = ["invitations"];

export const invitationsRouter = createTRPCRouter({
  create: authedProcedure
    .meta({
      projectKey: "narrowed",
      secretResponse: true,
      openapi: {
        method: "POST",
        path: "/invitations",
        tags,
        summary: "Invite someone to the site (administrators) or to a project (its owner)",
        description:
          "Answers the invitation link once (`{APP_URL}/invite/<token>`, single use, 7 days); only its hash is kept. With a mailer configured and an email given, the link is also mailed. A newer invitation of the same person to the same place withdraws the older one.",
      },
    })
    .input(zCreateInvitationInput)
    .output(zInvitationCreated)
    .mutation(({ ctx, input }) => createInvitation(ctx, personOf(ctx.viewer), input)),

  list: authedProcedure
    .meta({
      projectKey: "narrowed",
      openapi: {
        method: "GET",
        path: "/invitations",
        tags,
        summary: "Pending invitations: a project's (its owner) or the site's (administrators)",
      },
    })
    .input(zListInvitationsInput)
    .output(zInvitationPage)
    .query(({ ctx, input: { page, limit, projectId } }) =>
      listInvitations(ctx, actorOf(ctx.viewer), { projectId }, { page, limit }),
    ),

  mine: authedProcedure
    .meta({
      projectKey: "refused",
      openapi: {
        method: "GET",
        path: "/invitations/mine",
        tags,
        summary: "Project invitations waiting for your answer",
      },
    })
    .input(z.void())
    .output(zMyInvitations)
    .query(({ ctx }) => myInvitations(ctx, personOf(ctx.viewer))),

  accept: authedProcedure
    .meta({
      projectKey: "refused",
      openapi: {
        method: "POST",
        path: "/invitations/{invitationId}/accept",
        tags,
        summary: "Join the project you were invited to, with the invitation's role",
      },
    })
    .input(zInvitationRef)
    .output(zAccepted)
    .mutation(({ ctx, input }) => acceptInvitation(ctx, personOf(ctx.viewer), input.invitationId)),

  acceptByToken: authedProcedure
    .meta({
      projectKey: "refused",
      openapi: {
        method: "POST",
        path: "/invitations/accept",
        tags,
        summary: "Accept the project invitation of a link, when it was sent to you",
      },
    })
    .input(zAcceptByTokenInput)
    .output(zAccepted)
    .mutation(({ ctx, input }) => acceptInvitationByToken(ctx, personOf(ctx.viewer), input.token)),

  decline: authedProcedure
    .meta({
      projectKey: "refused",
      openapi: {
        method: "POST",
        path: "/invitations/{invitationId}/decline",
        tags,
        summary: "Decline a project invitation",
      },
    })
    .input(zInvitationRef)
    .output(zOk)
    .mutation(async ({ ctx, input }) => {
      await declineInvitation(ctx, personOf(ctx.viewer), input.invitationId);
      return OK;
    }),

  revoke: authedProcedure
    .meta({
      projectKey: "narrowed",
      openapi: {
        method: "DELETE",
        path: "/invitations/{invitationId}",
        tags,
        summary: "Withdraw a pending invitation (its inviter, the project's owner or an administrator)",
      },
    })
    .input(zInvitationRef)
    .output(zOk)
    .mutation(async ({ ctx, input }) => {
      await revokeInvitation(ctx, actorOf(ctx.viewer), input.invitationId);
      return OK;
    }),
});

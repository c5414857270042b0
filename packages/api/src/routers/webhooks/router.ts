// GitHub webhook deliveries as administrators see them. Receiving them is the raw route
// `POST /api/v1/webhooks/github` (apps/server), described in the document by `./openapi.ts`.
import { listWebhookDeliveries } from "@crewdeck/github";
import { zPageInput } from "../../lib/schemas";
import { adminProcedure, createTRPCRouter } from "../../trpc";
import { zWebhookDeliveryPage } from "./types";

export const webhooksRouter = createTRPCRouter({
  deliveries: createTRPCRouter({
    list: adminProcedure
      .meta({
        openapi: {
          method: "GET",
          path: "/admin/webhook-deliveries",
          tags: ["admin"],
          summary: "Recent GitHub webhook deliveries and their outcome, newest first (never their payload)",
        },
      })
      .input(zPageInput)
      .output(zWebhookDeliveryPage)
      .query(({ ctx, input }) => listWebhookDeliveries(ctx.db, input)),
  }),
});

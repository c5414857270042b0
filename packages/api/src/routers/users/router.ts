import { z } from "zod";
import { OK, zOk } from "../../lib/schemas";
import { deleteAccount, exportAccount } from "../../services/users/account";
import { confirmPassword } from "../../services/users/password";
import { authedProcedure, createTRPCRouter } from "../../trpc";
import { zAccountExport, zDeleteAccountInput } from "./types";

const tags = ["users"];

export const usersRouter = createTRPCRouter({
  exportMe: authedProcedure
    .meta({
      sessionOnly: true,
      openapi: {
        method: "GET",
        path: "/users/me/export",
        tags,
        summary: "Download every record you own as one JSON document",
      },
    })
    .input(z.void())
    .output(zAccountExport)
    .query(async ({ ctx }) => {
      const day = new Date().toISOString().slice(0, 10);
      ctx.resHeaders.set("Content-Disposition", `attachment; filename="crewdeck-export-${day}.json"`);
      return exportAccount(ctx, ctx.viewer.user);
    }),

  deleteMe: authedProcedure
    .meta({
      sessionOnly: true,
      openapi: {
        method: "DELETE",
        path: "/users/me",
        tags,
        summary: "Delete your account and everything it alone owns",
        description:
          "Takes the password again, as a JSON body `{ password }` (a wrong one is a 400 VALIDATION_ERROR on `password`).",
      },
    })
    .input(zDeleteAccountInput)
    .output(zOk)
    .mutation(async ({ ctx, input }) => {
      await confirmPassword(ctx, ctx.viewer, input.password, "password");
      await deleteAccount(ctx, ctx.viewer.user, {
        action: "user.account_deleted",
        actorUserId: ctx.viewer.user.id,
      });
      return OK;
    }),
});

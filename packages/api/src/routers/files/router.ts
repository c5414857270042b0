// Uploads and downloads are raw routes (apps/server/src/http/files.ts); only deletion is a procedure.
import { OK, zOk } from "../../lib/schemas";
import { deleteFile } from "../../services/files/files";
import { authedProcedure, createTRPCRouter } from "../../trpc";
import { zFileIdInput } from "./types";

const tags = ["files"];

export const filesRouter = createTRPCRouter({
  delete: authedProcedure
    .meta({
      projectKey: "narrowed",
      openapi: {
        method: "DELETE",
        path: "/files/{fileId}",
        tags,
        summary:
          "Delete a file you uploaded, with its bytes; it disappears from the messages it was attached to",
      },
    })
    .input(zFileIdInput)
    .output(zOk)
    .mutation(async ({ ctx, input }) => {
      await deleteFile(ctx, input.fileId, ctx.viewer.user.id);
      return OK;
    }),
});

import { search } from "../../services/search/search";
import { authedProcedure, createTRPCRouter } from "../../trpc";
import { zSearchInput, zSearchResults } from "./types";

export const searchRouter = createTRPCRouter({
  find: authedProcedure
    .meta({
      projectKey: "narrowed",
      openapi: {
        method: "GET",
        path: "/search",
        tags: ["search"],
        summary: "Tasks, chats and messages you can see whose text contains `q`, newest first",
      },
    })
    .input(zSearchInput)
    .output(zSearchResults)
    .query(({ ctx, input }) => search(ctx.db, ctx.viewer.user.id, input.q, input.limit)),
});

import { z } from "zod";
import { checkHealth } from "../../services/health";
import { createTRPCRouter, publicProcedure } from "../../trpc";
import { zHealth } from "./types";

export const healthRouter = createTRPCRouter({
  check: publicProcedure
    .meta({
      openapi: {
        method: "GET",
        path: "/health",
        tags: ["health"],
        protect: false,
        summary: "Liveness and dependencies",
      },
    })
    .input(z.void())
    .output(zHealth)
    .query(({ ctx }) => checkHealth(ctx)),
});

import { z } from "zod";
import { zIsoDate } from "../../lib/schemas";
import { checkHealth } from "../../services/health";
import { createTRPCRouter, publicProcedure } from "../../trpc";

const zState = z.enum(["up", "down", "not-configured"]);

export const zHealth = z.object({
  status: z.enum(["ok", "degraded"]),
  timestamp: zIsoDate,
  services: z.object({
    database: zState,
    queue: zState,
    eventBus: zState,
    modelProviders: z.record(z.string(), zState),
  }),
  version: z.string(),
  environment: z.string(),
});

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

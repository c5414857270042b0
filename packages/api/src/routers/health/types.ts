import { z } from "zod";
import { zIsoDate } from "../../lib/schemas";

const zState = z.enum(["up", "down", "not-configured"]);

export const zHealth = z.object({
  status: z.enum(["ok", "degraded"]),
  timestamp: zIsoDate,
  services: z.object({
    database: zState,
    queue: zState,
    /** The live events' log: the database in one process, the Redis stream when EVENT_BUS_URL is set. */
    eventBus: zState,
    /** The Redis the processes share (REDIS_URL): rate limits; not-configured in one process. */
    redis: zState,
    modelProviders: z.record(z.string(), zState),
    /** Whether people can connect GitHub accounts (an OAuth app is configured). */
    github: zState,
  }),
  version: z.string(),
  environment: z.string(),
});

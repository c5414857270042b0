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
  /** How steps and chat replies run: in this process, or as BullMQ jobs that workers take (QUEUE_URL). */
  queue: z
    .object({
      mode: z.enum(["in-process", "bullmq"]),
      /** Whether Redis answered. */
      redis: z.enum(["up", "down"]).optional(),
      /** Processes taking jobs now (servers with WORKER_CONCURRENCY > 0 included). */
      workers: z.number().int().nullable().optional(),
      /** Jobs waiting (or delayed) and under way, across all processes. */
      waiting: z.number().int().nullable().optional(),
      active: z.number().int().nullable().optional(),
      /** Jobs this process runs at once (0: it only enqueues). */
      concurrency: z.number().int().optional(),
    })
    .optional(),
  version: z.string(),
  environment: z.string(),
});

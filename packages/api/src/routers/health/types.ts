import { z } from "zod";
import { zIsoDate } from "../../lib/schemas";

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

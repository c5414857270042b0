// Live events (§4) as tRPC subscriptions. Filled in by the events work.
import { createTRPCRouter } from "../../trpc";

export const eventsRouter = createTRPCRouter({});

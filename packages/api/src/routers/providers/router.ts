// Model provider credentials an admin sets at runtime. Filled in by the providers work.
import { createTRPCRouter } from "../../trpc";

export const providersRouter = createTRPCRouter({});

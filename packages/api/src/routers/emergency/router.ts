// Emergency stop (§2.10). Filled in by the run engine work.
import { createTRPCRouter } from "../../trpc";

export const emergencyRouter = createTRPCRouter({});

// Budget limits (§2.9). Filled in by the budgets work.
import { createTRPCRouter } from "../../trpc";

export const budgetsRouter = createTRPCRouter({});

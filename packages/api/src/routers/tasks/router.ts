import { createTRPCRouter } from "../../trpc";

export const tasksRouter = createTRPCRouter({});

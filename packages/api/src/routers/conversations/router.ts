import { createTRPCRouter } from "../../trpc";

export const conversationsRouter = createTRPCRouter({});

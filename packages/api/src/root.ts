import { adminRouter } from "./routers/admin/router";
import { agentsRouter } from "./routers/agents/router";
import { apiKeysRouter } from "./routers/api-keys/router";
import { authRouter } from "./routers/auth/router";
import { budgetsRouter } from "./routers/budgets/router";
import { conversationsRouter } from "./routers/conversations/router";
import { emergencyRouter } from "./routers/emergency/router";
import { eventsRouter } from "./routers/events/router";
import { filesRouter } from "./routers/files/router";
import { githubRouter } from "./routers/github/router";
import { healthRouter } from "./routers/health/router";
import { invitationsRouter } from "./routers/invitations/router";
import { issuesRouter } from "./routers/issues/router";
import { modelsRouter } from "./routers/models/router";
import { notificationsRouter } from "./routers/notifications/router";
import { projectsRouter } from "./routers/projects/router";
import { providersRouter } from "./routers/providers/router";
import { pullRequestsRouter } from "./routers/pull-requests/router";
import { runsRouter } from "./routers/runs/router";
import { searchRouter } from "./routers/search/router";
import { tasksRouter } from "./routers/tasks/router";
import { usageRouter } from "./routers/usage/router";
import { usersRouter } from "./routers/users/router";
import { webhooksRouter } from "./routers/webhooks/router";
import { createCallerFactory, createTRPCRouter } from "./trpc";

export const appRouter = createTRPCRouter({
  health: healthRouter,
  auth: authRouter,
  apiKeys: apiKeysRouter,
  users: usersRouter,
  projects: projectsRouter,
  invitations: invitationsRouter,
  models: modelsRouter,
  agents: agentsRouter,
  conversations: conversationsRouter,
  tasks: tasksRouter,
  search: searchRouter,
  runs: runsRouter,
  files: filesRouter,
  notifications: notificationsRouter,
  admin: adminRouter,
  providers: providersRouter,
  budgets: budgetsRouter,
  usage: usageRouter,
  emergency: emergencyRouter,
  events: eventsRouter,
  github: githubRouter,
  webhooks: webhooksRouter,
  issues: issuesRouter,
  pullRequests: pullRequestsRouter,
});

export type AppRouter = typeof appRouter;

export const createCaller = createCallerFactory(appRouter);

// Every screen and its address. Each page is its own chunk, loaded when first visited, so the first load
// carries only the shell.
import { createBrowserRouter, createHashRouter, type RouteObject } from "react-router";
import { AppShell } from "../components/layout/app-shell";
import { RequireSignedIn, RouteError } from "../components/layout/route-guards";
import { Loading } from "../components/ui/states";

/** `lazy` for a module whose default export is the page. */
const page = (load: () => Promise<{ default: React.ComponentType }>) => async () => ({
  Component: (await load()).default,
});

export const routes: RouteObject[] = [
  {
    path: "/login",
    lazy: page(() => import("./auth/login-page")),
    errorElement: <RouteError />,
    hydrateFallbackElement: <Loading />,
  },
  {
    path: "/register",
    lazy: page(() => import("./auth/register-page")),
    errorElement: <RouteError />,
    hydrateFallbackElement: <Loading />,
  },
  {
    // An invitation link: sign up with it, or (signed in) accept it.
    path: "/invite/:token",
    lazy: page(() => import("./auth/invite-page")),
    errorElement: <RouteError />,
    hydrateFallbackElement: <Loading />,
  },
  {
    path: "/",
    element: (
      <RequireSignedIn>
        <AppShell />
      </RequireSignedIn>
    ),
    errorElement: <RouteError />,
    hydrateFallbackElement: <Loading />,
    children: [
      { index: true, lazy: page(() => import("./home/home-page")) },
      {
        path: "projects/:projectId",
        lazy: page(() => import("./projects/project-layout")),
        children: [
          { index: true, lazy: page(() => import("./projects/project-page")) },
          { path: "settings", lazy: page(() => import("./projects/project-settings-page")) },
          { path: "issues", lazy: page(() => import("./projects/project-issues-page")) },
          { path: "pull-requests", lazy: page(() => import("./projects/project-pull-requests-page")) },
        ],
      },
      { path: "chats", lazy: page(() => import("./chat/chats-page")) },
      { path: "chats/:conversationId", lazy: page(() => import("./chat/conversation-page")) },
      { path: "tasks", lazy: page(() => import("./tasks/tasks-page")) },
      { path: "tasks/:taskId", lazy: page(() => import("./tasks/task-page")) },
      { path: "usage", lazy: page(() => import("./usage/usage-page")) },
      { path: "budgets", lazy: page(() => import("./budgets/budgets-page")) },
      { path: "notifications", lazy: page(() => import("./notifications/notifications-page")) },
      { path: "settings", lazy: page(() => import("./settings/settings-page")) },
      { path: "admin", lazy: page(() => import("./admin/admin-page")) },
      { path: "*", lazy: page(() => import("./not-found-page")) },
    ],
  },
];

/**
 * Browser history when served over http(s); hash history when loaded from a file (the desktop app), where
 * there is no server to answer deep links.
 */
export const createAppRouter = () =>
  window.location.protocol === "file:" ? createHashRouter(routes) : createBrowserRouter(routes);

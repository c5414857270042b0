// Raw CSV downloads of usage (§2.9): a streamed text/csv body does not fit a JSON procedure, so these are
// plain routes that pass the same guards and call the usage service.
import { type ApiDeps, exportUsageCsv, REST_BASE_PATH, type UsageExportScope } from "@crewdeck/api";
import type { Context, Hono } from "hono";
import { asApiRoute } from "./api-route";
import type { AppEnv } from "./request-context";

function download(c: Context<AppEnv>, deps: ApiDeps, scope: UsageExportScope) {
  return asApiRoute(c, deps, async (api) => {
    const { filename, body } = await exportUsageCsv(
      api.db,
      { userId: api.viewer.user.id, isAdmin: api.viewer.user.role === "admin" },
      scope,
      {
        startDate: c.req.query("startDate"),
        endDate: c.req.query("endDate"),
        tz: c.req.query("tz") || "UTC",
      },
      api.engine.now(),
    );
    return new Response(body, {
      headers: {
        "Content-Type": "text/csv; charset=utf-8",
        "Content-Disposition": `attachment; filename="${filename}"`,
        "Cache-Control": "no-store",
      },
    });
  });
}

export function mountUsageExportRoutes(app: Hono<AppEnv>, deps: ApiDeps) {
  const base = `${REST_BASE_PATH}/usage`;
  app.get(`${base}/projects/:projectId/export`, (c) =>
    download(c, deps, { kind: "project", projectId: c.req.param("projectId") }),
  );
  app.get(`${base}/tasks/:taskId/export`, (c) =>
    download(c, deps, { kind: "task", taskId: c.req.param("taskId") }),
  );
  app.get(`${base}/export`, (c) => download(c, deps, { kind: "site" }));
}

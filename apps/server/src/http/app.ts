// The HTTP application: better-auth, tRPC, the REST façade, docs, health and the web build.
import { type ApiDeps, checkHealth } from "@crewdeck/api";
import type { WebhookWorker } from "@crewdeck/github";
import { Hono } from "hono";
import { bodyLimit } from "hono/body-limit";
import { secureHeaders } from "hono/secure-headers";
import type { TrustProxy } from "../env";
import { mountApi } from "./api-routes";
import { mountBetterAuthRoutes } from "./better-auth-routes";
import { csrfCookie } from "./csrf-cookie";
import { mountDocs } from "./docs";
import { errorResponse } from "./errors";
import { mountEventRoutes } from "./events";
import { mountFileRoutes } from "./files";
import { mountGitHubCallback } from "./github-callback";
import { mountGitHubWebhookRoute } from "./github-webhooks";
import { type AppEnv, requestContext } from "./request-context";
import { mountTaskStartRoute } from "./task-start";
import { closeWhenBodyUnread } from "./unread-body";
import { mountUsageExportRoutes } from "./usage-export";
import { mountWeb } from "./web";

export type Logger = {
  info: (message: string) => void;
  /** Something an operator may want to fix that did not fail the work (`info` when absent). */
  warn?: (message: string) => void;
  error: (message: string, error?: unknown) => void;
};

export type AppOptions = {
  appUrl: string;
  trustProxy: TrustProxy;
  maxJsonBodyBytes: number;
  webDistDir: string;
  logger: Logger;
  /** Processes stored GitHub webhook deliveries after they are answered. */
  githubWebhooks: WebhookWorker;
};

/** Where the configured GitHub serves avatars: its CDN for github.com, the server itself for GitHub Enterprise. */
function githubAvatarOrigin(webUrl = "https://github.com"): string {
  const origin = new URL(webUrl).origin;
  return origin === "https://github.com" ? "https://avatars.githubusercontent.com" : origin;
}

/**
 * The web app (and everything else served here) loads scripts, styles, images and connections from this
 * origin only, so markup an agent slips into a page can neither run script nor send what it sees
 * elsewhere. Styles allow 'unsafe-inline' because the UI's toasts inject a style element; images allow
 * blob: (attachments are fetched with the token and shown from blob URLs), data: (icons in CSS) and the
 * configured GitHub's avatars.
 */
const contentSecurityPolicy = (githubWebUrl: string | undefined) => ({
  defaultSrc: ["'self'"],
  scriptSrc: ["'self'"],
  styleSrc: ["'self'", "'unsafe-inline'"],
  imgSrc: ["'self'", "data:", "blob:", githubAvatarOrigin(githubWebUrl)],
  connectSrc: ["'self'"],
  fontSrc: ["'self'"],
  objectSrc: ["'none'"],
  baseUri: ["'self'"],
  formAction: ["'self'"],
  frameAncestors: ["'none'"],
});

export function createApp(deps: ApiDeps, opts: AppOptions) {
  const app = new Hono<AppEnv>();

  app.use(closeWhenBodyUnread);
  app.use(requestContext({ trustProxy: opts.trustProxy }));
  app.use(
    secureHeaders({
      crossOriginEmbedderPolicy: false,
      contentSecurityPolicy: contentSecurityPolicy(deps.github.env.webUrl),
    }),
  );
  app.use(csrfCookie({ secure: opts.appUrl.startsWith("https:") }));
  mountFileRoutes(app, deps); // before the JSON body limit: uploads have their own, larger one
  mountTaskStartRoute(app, deps); // multipart only; JSON starts fall through to the procedure
  // Before the JSON body limit: GitHub sends up to 25 MB, and the signature needs the raw bytes.
  mountGitHubWebhookRoute(app, deps, { worker: opts.githubWebhooks, logger: opts.logger });

  const limitJson = bodyLimit({
    maxSize: opts.maxJsonBodyBytes,
    onError: (c) =>
      errorResponse(
        413,
        "PAYLOAD_TOO_LARGE",
        `Request bodies are limited to ${opts.maxJsonBodyBytes} bytes`,
        c.get("requestId"),
      ),
  });
  app.use("/api/v1/*", limitJson);
  app.use("/trpc/*", limitJson);
  app.use("/api/auth/*", limitJson);

  mountBetterAuthRoutes(app, deps);

  app.get("/health", async (c) => {
    const health = await checkHealth(deps);
    return c.json(health, health.status === "ok" ? 200 : 503);
  });

  mountDocs(app);
  mountEventRoutes(app, deps); // a raw SSE route, before the REST façade would claim its path
  mountGitHubCallback(app, deps, opts.logger); // a redirect, not JSON
  mountUsageExportRoutes(app, deps); // streamed CSV, before the REST façade would claim its paths
  mountApi(app, deps, { appUrl: opts.appUrl, logger: opts.logger });

  app.all("/api/*", (c) => errorResponse(404, "RESOURCE_NOT_FOUND", "No such endpoint", c.get("requestId")));
  mountWeb(app, opts.webDistDir);

  app.onError((error, c) => {
    opts.logger.error(`${c.req.method} ${c.req.path} failed`, error);
    return errorResponse(500, "INTERNAL_ERROR", "Internal server error", c.get("requestId") ?? "unknown");
  });

  return app;
}

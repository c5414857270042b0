// GitHub's OAuth redirect (§2.2, raw): the browser arrives with `?code&state` and leaves for the web app's
// settings with the outcome in words. Never a 500, and the code never reaches a log (only the path is logged).
import { type ApiDeps, createContext, GITHUB_CALLBACK_PATH, githubCallbackLocation } from "@crewdeck/api";
import type { Hono } from "hono";
import type { Logger } from "./app";
import { type AppEnv, forwardedRequest } from "./request-context";

export function mountGitHubCallback(app: Hono<AppEnv>, deps: ApiDeps, logger: Logger) {
  app.get(GITHUB_CALLBACK_PATH, async (c) => {
    const ctx = createContext(deps, {
      requestId: c.get("requestId"),
      method: "GET",
      headers: forwardedRequest(c).headers,
      resHeaders: new Headers(),
      clientIp: c.get("clientIp"),
    });
    const location = await githubCallbackLocation(
      ctx,
      { code: c.req.query("code"), state: c.req.query("state"), error: c.req.query("error") },
      (error) => logger.error(`GET ${GITHUB_CALLBACK_PATH} failed`, error),
    );
    c.header("Cache-Control", "no-store");
    c.header("Referrer-Policy", "no-referrer");
    return c.redirect(location, 302);
  });
}

// Which URLs may load in the app window, and which go to the user's browser instead.
// Kept free of `electron` so the policy is testable in plain Node.

export interface NavigationPolicy {
  /** The renderer's own URL: the Vite dev server in development, `file://…/index.html` in a build. */
  appUrl: string;
  /** Origin of the Crewdeck server; it serves the same web UI, so it is trusted like the app. */
  serverOrigin: string;
}

const EXTERNAL_PROTOCOLS = new Set(["http:", "https:", "mailto:"]);

function parse(url: string): URL | null {
  try {
    return new URL(url);
  } catch {
    return null;
  }
}

/** True for web and mail links; never `file:`, `javascript:` or custom schemes. */
export function isExternalUrl(url: string): boolean {
  const parsed = parse(url);
  return parsed !== null && EXTERNAL_PROTOCOLS.has(parsed.protocol) && !parsed.username && !parsed.password;
}

/** True when `url` is part of the app itself or of the configured server. */
export function isTrustedUrl(url: string, policy: NavigationPolicy): boolean {
  const target = parse(url);
  const app = parse(policy.appUrl);
  if (!target || !app) return false;
  if (app.protocol === "file:") {
    // `file:` origins are opaque ("null"): trust the app's own document only, never the rest of the disk.
    if (target.protocol === "file:" && target.pathname === app.pathname) return true;
  } else if (target.origin === app.origin) {
    return true;
  }
  return target.origin !== "null" && target.origin === policy.serverOrigin;
}

export type NavigationDecision =
  | { action: "allow" }
  /** Stay on the current page; when `openExternally`, show the link in the browser instead. */
  | { action: "deny"; openExternally: boolean };

/** For `will-navigate` / `will-redirect`: the window only ever shows the app or the server. */
export function decideNavigation(url: string, policy: NavigationPolicy): NavigationDecision {
  if (isTrustedUrl(url, policy)) return { action: "allow" };
  return { action: "deny", openExternally: isExternalUrl(url) };
}

/** For `setWindowOpenHandler`: the app never opens a second Electron window; links go to the browser. */
export function decideWindowOpen(url: string): { action: "deny"; openExternally: boolean } {
  return { action: "deny", openExternally: isExternalUrl(url) };
}

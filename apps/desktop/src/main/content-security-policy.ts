// The renderer's Content-Security-Policy, written into src/renderer/index.html at build time
// (see electron.vite.config.ts) so it names the configured server.

export interface CspOptions {
  /** Origin of the Crewdeck server: the only place the renderer may fetch from. */
  serverOrigin: string;
  /** `electron-vite dev`: React Refresh injects an inline script and Vite injects CSS as <style>. */
  dev?: boolean;
}

export function contentSecurityPolicy({ serverOrigin, dev = false }: CspOptions): string {
  const origin = new URL(serverOrigin).origin;
  const directives: Record<string, string[]> = {
    "default-src": ["'none'"],
    "script-src": ["'self'"],
    "style-src": ["'self'"],
    "img-src": ["'self'", "data:"],
    "font-src": ["'self'"],
    "connect-src": [origin],
    "object-src": ["'none'"],
    "base-uri": ["'none'"],
    "form-action": ["'none'"],
  };
  if (dev) {
    directives["script-src"]?.push("'unsafe-inline'");
    directives["style-src"]?.push("'unsafe-inline'");
    // The dev server's own origin, for module requests and the HMR websocket.
    directives["connect-src"]?.unshift("'self'");
  }
  return Object.entries(directives)
    .map(([name, sources]) => `${name} ${sources.join(" ")}`)
    .join("; ");
}

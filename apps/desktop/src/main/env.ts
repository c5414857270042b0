// The desktop main process's configuration: the only place that reads process.env.

export const DEFAULT_SERVER_URL = "http://localhost:3001";

export interface DesktopEnv {
  /** Base URL of the Crewdeck server, without a trailing slash (it may carry a path prefix). */
  serverUrl: string;
  /** Origin of `serverUrl`, for the CSP and the navigation policy. */
  serverOrigin: string;
  /** The Vite dev server that `electron-vite dev` starts for the renderer; null in a build. */
  rendererDevUrl: string | null;
}

type EnvSource = Record<string, string | undefined>;

export function resolveServerUrl(value: string | undefined): URL {
  const raw = value?.trim() || DEFAULT_SERVER_URL;
  let url: URL;
  try {
    url = new URL(raw);
  } catch {
    throw new Error(`CREWDECK_SERVER_URL must be an absolute http(s) URL, got "${raw}"`);
  }
  if (url.protocol !== "http:" && url.protocol !== "https:") {
    throw new Error(`CREWDECK_SERVER_URL must use http or https, got "${url.protocol}"`);
  }
  if (url.username || url.password) {
    throw new Error("CREWDECK_SERVER_URL must not carry credentials");
  }
  if (url.search || url.hash) {
    throw new Error("CREWDECK_SERVER_URL must not carry a query or a fragment");
  }
  return url;
}

export function parseEnv(source: EnvSource): DesktopEnv {
  const server = resolveServerUrl(source.CREWDECK_SERVER_URL);
  const rendererDevUrl = source.ELECTRON_RENDERER_URL?.trim() || null;
  return {
    serverUrl: server.href.replace(/\/+$/, ""),
    serverOrigin: server.origin,
    rendererDevUrl,
  };
}

export const env: DesktopEnv = parseEnv(process.env);

// Reads the server's unauthenticated health report (GET /health, see the API contract §2.10).

export interface ServiceStatus {
  name: string;
  status: string;
}

export interface ServerHealth {
  status: string;
  version: string | null;
  environment: string | null;
  services: ServiceStatus[];
}

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === "object" && value !== null && !Array.isArray(value);
}

function optionalString(value: unknown): string | null {
  return typeof value === "string" && value.length > 0 ? value : null;
}

/** Accepts a service entry given either as `"ok"` or as `{ status: "ok", … }`. */
function serviceStatus(value: unknown): string | null {
  if (typeof value === "string") return value;
  if (isRecord(value)) return optionalString(value.status);
  return null;
}

/** Returns null when the body is not a health report, so callers can tell "down" from "not Crewdeck". */
export function parseHealth(body: unknown): ServerHealth | null {
  if (!isRecord(body) || typeof body.status !== "string") return null;
  const services: ServiceStatus[] = [];
  if (isRecord(body.services)) {
    for (const [name, value] of Object.entries(body.services)) {
      const status = serviceStatus(value);
      if (status) services.push({ name, status });
    }
  }
  return {
    status: body.status,
    version: optionalString(body.version),
    environment: optionalString(body.environment),
    services,
  };
}

/** `serverUrl` is the server's base URL; the empty string means the origin this page came from. */
export function serverEndpoint(serverUrl: string, path: string): string {
  return `${serverUrl.replace(/\/+$/, "")}${path}`;
}

export async function fetchHealth(serverUrl: string, signal?: AbortSignal): Promise<ServerHealth> {
  let response: Response;
  try {
    response = await fetch(serverEndpoint(serverUrl, "/health"), {
      headers: { accept: "application/json" },
      signal,
    });
  } catch (error) {
    if (signal?.aborted) throw error;
    throw new Error("Could not reach the server. Is it running?");
  }
  // A degraded server answers 503 with a report; that report is worth showing.
  const body: unknown = await response.json().catch(() => null);
  const health = parseHealth(body);
  if (health) return health;
  throw new Error(`The server answered ${response.status} without a health report.`);
}

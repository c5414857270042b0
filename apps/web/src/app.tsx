import { useEffect, useState } from "react";
import { fetchHealth, type ServerHealth, serverEndpoint } from "./lib/health";
import "./styles.css";

export interface AppProps {
  /**
   * Base URL of the Crewdeck server. The server serves the web build, so it defaults to this page's
   * origin (""); the desktop app passes the server it is configured for.
   */
  serverUrl?: string;
}

type HealthState =
  | { kind: "loading" }
  | { kind: "ready"; health: ServerHealth }
  | { kind: "error"; message: string };

export function App({ serverUrl = "" }: AppProps) {
  // Bumping the key remounts the status panel, which fetches again.
  const [attempt, setAttempt] = useState(0);

  return (
    <div className="page">
      <header className="page-header">
        <h1 className="brand">Crewdeck</h1>
        <p className="tagline">Mission control for teams of AI coding agents.</p>
      </header>

      <main className="page-main">
        <ServerStatus key={attempt} serverUrl={serverUrl} onRetry={() => setAttempt((n) => n + 1)} />

        <section className="card" aria-labelledby="developers-heading">
          <h2 id="developers-heading">Developers</h2>
          <ul className="links">
            <li>
              <a href={serverEndpoint(serverUrl, "/api/docs")} target="_blank" rel="noreferrer">
                REST API docs
              </a>
              <span className="link-hint">Interactive reference for /api/v1</span>
            </li>
            <li>
              <a href={serverEndpoint(serverUrl, "/api/v1/openapi.json")} target="_blank" rel="noreferrer">
                OpenAPI document
              </a>
              <span className="link-hint">OpenAPI 3.1, for generating clients</span>
            </li>
          </ul>
        </section>
      </main>
    </div>
  );
}

interface ServerStatusProps {
  serverUrl: string;
  onRetry: () => void;
}

function ServerStatus({ serverUrl, onRetry }: ServerStatusProps) {
  const [state, setState] = useState<HealthState>({ kind: "loading" });

  useEffect(() => {
    const controller = new AbortController();
    fetchHealth(serverUrl, controller.signal).then(
      (health) => setState({ kind: "ready", health }),
      (error: unknown) => {
        if (controller.signal.aborted) return;
        setState({ kind: "error", message: error instanceof Error ? error.message : String(error) });
      },
    );
    return () => controller.abort();
  }, [serverUrl]);

  return (
    <section className="card" aria-labelledby="server-heading" aria-busy={state.kind === "loading"}>
      <div className="card-header">
        <h2 id="server-heading">Server</h2>
        {state.kind !== "loading" && (
          <button type="button" className="button" onClick={onRetry}>
            {state.kind === "error" ? "Try again" : "Refresh"}
          </button>
        )}
      </div>

      <div role="status" aria-live="polite">
        {state.kind === "loading" && <p className="muted">Checking the server…</p>}

        {state.kind === "error" && (
          <p className="error">
            <strong>Unavailable.</strong> {state.message}
          </p>
        )}

        {state.kind === "ready" && (
          <dl className="facts">
            <dt>Status</dt>
            <dd>
              <span className={`badge ${state.health.status === "ok" ? "badge-ok" : "badge-warn"}`}>
                {state.health.status}
              </span>
            </dd>
            <dt>Version</dt>
            <dd>{state.health.version ?? "unknown"}</dd>
            {state.health.environment && (
              <>
                <dt>Environment</dt>
                <dd>{state.health.environment}</dd>
              </>
            )}
            {state.health.services.map((service) => (
              <ServiceFact key={service.name} name={service.name} status={service.status} />
            ))}
          </dl>
        )}
      </div>
    </section>
  );
}

function ServiceFact({ name, status }: { name: string; status: string }) {
  return (
    <>
      <dt className="service-name">{name}</dt>
      <dd>{status}</dd>
    </>
  );
}

import type { ReactNode } from "react";
import { isRouteErrorResponse, Link, Navigate, useLocation, useRouteError } from "react-router";
import { useSignedIn } from "../../lib/app-context";
import { describeError } from "../../lib/errors";

/** Sends a signed-out visitor to the login page, and back here after signing in. */
export function RequireSignedIn({ children }: { children: ReactNode }) {
  const signedIn = useSignedIn();
  const location = useLocation();
  if (!signedIn) {
    const next = `${location.pathname}${location.search}`;
    return <Navigate to={next === "/" ? "/login" : `/login?next=${encodeURIComponent(next)}`} replace />;
  }
  return <>{children}</>;
}

/** A page that failed to load (a chunk after a deploy, or a render error) says so and offers a way out. */
export function RouteError() {
  const error = useRouteError();
  const message = isRouteErrorResponse(error) ? `${error.status} ${error.statusText}` : describeError(error);
  return (
    <div role="alert" className="mx-auto mt-16 max-w-lg rounded-lg border border-border bg-surface p-6">
      <h1 className="text-lg font-semibold">This page could not be shown</h1>
      <p className="mt-2 text-sm text-muted">{message}</p>
      <div className="mt-4 flex gap-3 text-sm">
        <button type="button" className="text-accent underline" onClick={() => window.location.reload()}>
          Reload
        </button>
        <Link to="/" className="text-accent underline">
          Go to the overview
        </Link>
      </div>
    </div>
  );
}

import type { ReactNode } from "react";

/** The centred card the signed-out pages share. */
export function AuthFrame({
  title,
  children,
  footer,
}: {
  title: string;
  children: ReactNode;
  footer: ReactNode;
}) {
  return (
    <main className="flex min-h-full items-center justify-center p-4">
      <div className="w-full max-w-sm rounded-xl border border-border bg-surface p-6 shadow-sm">
        <p className="text-sm font-semibold tracking-wide text-accent">Crewdeck</p>
        <h1 className="mt-1 text-xl font-semibold">{title}</h1>
        <div className="mt-5">{children}</div>
        <div className="mt-5 border-t border-border pt-4 text-sm text-muted">{footer}</div>
      </div>
    </main>
  );
}

/** Where to go after signing in: the page that sent the visitor here, if it is one of ours. */
export function nextPath(search: URLSearchParams): string {
  const next = search.get("next");
  return next?.startsWith("/") && !next.startsWith("//") ? next : "/";
}

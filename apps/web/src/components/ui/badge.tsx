import type { ReactNode } from "react";
import { cn } from "./cn";

const TONES = {
  neutral: "bg-subtle text-muted",
  ok: "bg-ok-bg text-ok",
  warn: "bg-warn-bg text-warn",
  danger: "bg-danger-bg text-danger",
  accent: "bg-accent/15 text-accent",
} as const;

export type BadgeTone = keyof typeof TONES;

export function Badge({
  tone = "neutral",
  children,
  className,
}: {
  tone?: BadgeTone;
  children: ReactNode;
  className?: string;
}) {
  return (
    <span
      className={cn(
        "inline-flex items-center gap-1 rounded-full px-2 py-0.5 text-xs font-medium",
        TONES[tone],
        className,
      )}
    >
      {children}
    </span>
  );
}

/** The tone of a status word wherever one is shown (agents, runs, steps, tasks). */
export function statusTone(status: string): BadgeTone {
  if (["completed", "complete", "done", "idle", "active", "success"].includes(status)) return "ok";
  if (["working", "running", "in_progress", "streaming", "queued", "review"].includes(status))
    return "accent";
  if (["paused", "pending", "waiting", "interrupted", "blocked"].includes(status)) return "warn";
  if (["failed", "error", "cancelled"].includes(status)) return "danger";
  return "neutral";
}

export const humanStatus = (status: string) => status.replace(/_/g, " ");

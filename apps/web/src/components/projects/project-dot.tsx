import { cn } from "../ui/cn";

/** The project's colour, as the sidebar shows it; a project without one uses the muted tone. */
export function ProjectDot({ colour, className }: { colour: string | null; className?: string }) {
  return (
    <span
      aria-hidden
      className={cn("inline-block h-3 w-3 shrink-0 rounded-full", className)}
      style={{ background: colour ?? "var(--color-muted)" }}
    />
  );
}

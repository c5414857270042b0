import { cn } from "./cn";

/** A thin bar with its number for screen readers; `label` names what is progressing. */
export function ProgressBar({
  percentage,
  label,
  colour,
  className,
}: {
  percentage: number;
  label: string;
  /** The fill's colour (a project's own); the accent colour when absent. */
  colour?: string | null;
  className?: string;
}) {
  const value = Math.max(0, Math.min(100, Math.round(percentage)));
  return (
    <div
      role="progressbar"
      aria-label={label}
      aria-valuemin={0}
      aria-valuemax={100}
      aria-valuenow={value}
      className={cn("h-1.5 w-full overflow-hidden rounded-full bg-subtle", className)}
    >
      <div
        className="h-full rounded-full transition-[width] duration-500"
        style={{ width: `${value}%`, background: colour ?? "var(--color-accent)" }}
      />
    </div>
  );
}

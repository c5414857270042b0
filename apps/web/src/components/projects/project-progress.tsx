// A project's progress: how many of its tasks are done, the percentage, and a bar in the project's colour.
import { cn } from "../ui/cn";
import { ProgressBar } from "../ui/progress-bar";
import { progressPercent } from "./project-summary";

export function ProjectProgress({
  progress,
  colour,
  done,
  label,
  className,
}: {
  /** The percentage of its tasks done, as the API reports it. */
  progress: number;
  colour: string | null;
  /** The count in words ("3 of 5 tasks done"). */
  done: string;
  /** The bar's accessible name. */
  label: string;
  className?: string;
}) {
  const percentage = progressPercent(progress);
  return (
    <div className={cn("flex flex-col gap-1", className)}>
      <div className="flex justify-between text-xs text-muted">
        <span>{done}</span>
        <span>{percentage}%</span>
      </div>
      <ProgressBar percentage={percentage} colour={colour} label={label} />
    </div>
  );
}

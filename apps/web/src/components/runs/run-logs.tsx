// The run's log, newest line at the bottom, folded away until someone wants it.
import { useEffect, useRef } from "react";
import { cn } from "../ui/cn";
import { logsOldestFirst, type RunLog } from "./run-metrics";

const LEVEL_CLASS: Record<RunLog["level"], string> = {
  debug: "text-muted",
  info: "text-text",
  warn: "text-warn",
  error: "text-danger",
};

const time = (iso: string) => new Date(iso).toLocaleTimeString(undefined, { hour12: false });

export function RunLogs({ logs }: { logs: readonly RunLog[] }) {
  const ordered = logsOldestFirst(logs);
  const scroller = useRef<HTMLDivElement>(null);
  const details = useRef<HTMLDetailsElement>(null);
  const scrollToEnd = () => {
    const el = scroller.current;
    if (el) el.scrollTop = el.scrollHeight;
  };
  // Follow new lines as they arrive, like a terminal, while the log is open.
  useEffect(() => {
    if (details.current?.open) scrollToEnd();
  }, [ordered.length]);

  return (
    <details ref={details} className="group" onToggle={(e) => e.currentTarget.open && scrollToEnd()}>
      <summary className="cursor-pointer select-none text-sm font-medium">
        Logs <span className="font-normal text-muted">({ordered.length})</span>
      </summary>
      {ordered.length === 0 ? (
        <p className="mt-2 text-sm text-muted">No log lines yet.</p>
      ) : (
        <div
          ref={scroller}
          role="log"
          aria-label="Run log"
          // A scrolling region must take focus so keyboard users can scroll it.
          // biome-ignore lint/a11y/noNoninteractiveTabindex: scrollable log
          tabIndex={0}
          className="mt-2 max-h-80 overflow-auto rounded-md border border-border bg-subtle p-2 font-mono text-xs"
        >
          <ol>
            {ordered.map((line) => (
              <li key={line.id} className="flex gap-2 py-0.5">
                <time dateTime={line.createdAt} className="shrink-0 text-muted">
                  {time(line.createdAt)}
                </time>
                <span className={cn("w-12 shrink-0 uppercase", LEVEL_CLASS[line.level])}>{line.level}</span>
                <span className={cn("min-w-0 whitespace-pre-wrap break-words", LEVEL_CLASS[line.level])}>
                  {line.message}
                </span>
              </li>
            ))}
          </ol>
        </div>
      )}
    </details>
  );
}

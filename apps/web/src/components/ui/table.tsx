// The app's data tables: one look for every list shown as rows (limits, API keys, sessions, users), scrolling
// sideways inside its frame on a narrow window instead of squeezing the columns.
import type { ReactNode, TdHTMLAttributes } from "react";
import { cn } from "./cn";

/** A column heading; `hidden` keeps it for screen readers only (the actions column). */
export type Column = string | { label: string; hidden?: boolean; align?: "right" };

const CELL = "px-3 py-2";

export function DataTable({
  columns,
  className,
  children,
}: {
  columns: Column[];
  /** The table's minimum width (a Tailwind class such as `min-w-[40rem]`), below which it scrolls. */
  className?: string;
  children: ReactNode;
}) {
  return (
    <div className="relative overflow-x-auto rounded-lg border border-border bg-surface">
      <table className={cn("w-full text-left text-sm", className)}>
        <thead className="border-b border-border text-xs uppercase tracking-wide text-muted">
          <tr>
            {columns.map((column) => {
              const { label, hidden, align } = typeof column === "string" ? { label: column } : column;
              return (
                <th
                  key={label}
                  scope="col"
                  className={cn(CELL, "font-medium", align === "right" && "text-right")}
                >
                  {hidden ? <span className="sr-only">{label}</span> : label}
                </th>
              );
            })}
          </tr>
        </thead>
        <tbody>{children}</tbody>
      </table>
    </div>
  );
}

export function Row({ children }: { children: ReactNode }) {
  return <tr className="border-b border-border last:border-0">{children}</tr>;
}

/** The cell that names the row, so screen readers read it with each of the row's cells. */
export function RowHeader({ children }: { children: ReactNode }) {
  return (
    <th scope="row" className={cn(CELL, "font-medium")}>
      {children}
    </th>
  );
}

export function Cell({ className, ...props }: TdHTMLAttributes<HTMLTableCellElement>) {
  return <td className={cn(CELL, className)} {...props} />;
}

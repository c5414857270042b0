// Spend over time as stacked bars (one colour per group), budget limits as dashed lines. The chart is a
// picture for sighted readers; a visually hidden table carries the same figures for everyone else.
import {
  Bar,
  BarChart,
  CartesianGrid,
  Legend,
  ReferenceLine,
  ResponsiveContainer,
  Tooltip,
  XAxis,
  YAxis,
} from "recharts";
import { formatUsd } from "../../lib/format";
import type { BudgetLine } from "./budget-lines";
import type { SpendRow, SpendSeries } from "./spend-series";

const tickUsd = (value: number) => formatUsd(value);

/** Tooltips in the app's own colours, light or dark. */
export const TOOLTIP_STYLE = { background: "var(--color-surface)", borderColor: "var(--color-border)" };

export function SpendChart({
  title,
  series,
  rows,
  lines = [],
}: {
  /** Names the chart and its table for screen readers ("Spend per day by model"). */
  title: string;
  series: SpendSeries[];
  rows: SpendRow[];
  lines?: BudgetLine[];
}) {
  const total = rows.reduce((sum, row) => sum + row.totalCostUsd, 0);
  const top = Math.max(0, ...rows.map((row) => row.totalCostUsd), ...lines.map((l) => l.amountUsd));
  return (
    <figure className="flex flex-col gap-2">
      <div
        role="img"
        aria-label={`${title}: ${formatUsd(total)} over ${rows.length} periods${lines
          .map((line) => `; limit ${line.name} at ${formatUsd(line.amountUsd)}`)
          .join("")}`}
        className="h-64 w-full min-w-0 sm:h-72"
      >
        <ResponsiveContainer width="100%" height="100%">
          <BarChart data={rows} margin={{ top: 8, right: 8, bottom: 0, left: 0 }}>
            <CartesianGrid strokeDasharray="3 3" vertical={false} stroke="var(--color-border)" />
            <XAxis dataKey="label" tick={{ fontSize: 11 }} minTickGap={12} stroke="var(--color-muted)" />
            <YAxis
              tickFormatter={tickUsd}
              tick={{ fontSize: 11 }}
              width={64}
              domain={[0, top > 0 ? "auto" : 1]}
              stroke="var(--color-muted)"
            />
            <Tooltip formatter={(value) => formatUsd(Number(value))} contentStyle={TOOLTIP_STYLE} />
            <Legend wrapperStyle={{ fontSize: 12 }} />
            {series.map((s) => (
              <Bar key={s.key} dataKey={s.key} name={s.name} stackId="spend" fill={s.colour} />
            ))}
            {lines.map((line) => (
              <ReferenceLine
                key={line.id}
                y={line.amountUsd}
                stroke="var(--color-danger)"
                strokeDasharray="6 4"
                ifOverflow="extendDomain"
                label={{
                  value: `${line.name} ${formatUsd(line.amountUsd)}`,
                  fontSize: 11,
                  position: "insideTopLeft",
                }}
              />
            ))}
          </BarChart>
        </ResponsiveContainer>
      </div>
      <figcaption className="sr-only">{title}</figcaption>
      {/* A table ignores the 1 px width of sr-only and would widen a phone's page: its wrapper is hidden. */}
      <div className="sr-only">
        <table aria-label={title}>
          <thead>
            <tr>
              <th scope="col">Period</th>
              {series.map((s) => (
                <th key={s.key} scope="col">
                  {s.name}
                </th>
              ))}
              <th scope="col">Total</th>
            </tr>
          </thead>
          <tbody>
            {rows.map((row) => (
              <tr key={row.date}>
                <th scope="row">{row.date}</th>
                {series.map((s) => (
                  <td key={s.key}>{formatUsd(Number(row[s.key]) || 0)}</td>
                ))}
                <td>{formatUsd(row.totalCostUsd)}</td>
              </tr>
            ))}
          </tbody>
        </table>
      </div>
    </figure>
  );
}

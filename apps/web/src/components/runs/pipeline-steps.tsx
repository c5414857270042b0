// The run's steps as a vertical stepper: who works on each, where it stands, how long it took, what it cost.
import { Check, Loader2, X } from "lucide-react";
import { formatDuration, formatTokens, formatUsd } from "../../lib/format";
import { roleLabel } from "../agents/agent-roles";
import { Badge, humanStatus, statusTone } from "../ui/badge";
import { cn } from "../ui/cn";
import { type RunStep, runTotals, stepDurationMs } from "./run-metrics";

function StepMarker({ step }: { step: RunStep }) {
  const base = "flex h-7 w-7 shrink-0 items-center justify-center rounded-full border text-xs font-semibold";
  if (step.status === "completed")
    return (
      <span aria-hidden className={cn(base, "border-ok bg-ok-bg text-ok")}>
        <Check size={14} />
      </span>
    );
  if (step.status === "failed" || step.status === "cancelled")
    return (
      <span aria-hidden className={cn(base, "border-danger bg-danger-bg text-danger")}>
        <X size={14} />
      </span>
    );
  if (step.status === "running")
    return (
      <span aria-hidden className={cn(base, "border-accent bg-accent/15 text-accent")}>
        <Loader2 size={14} className="animate-spin" />
      </span>
    );
  return (
    <span aria-hidden className={cn(base, "border-border bg-surface text-muted")}>
      {step.index + 1}
    </span>
  );
}

function Metric({ label, value }: { label: string; value: string }) {
  return (
    <span className="whitespace-nowrap">
      <span className="text-muted">{label} </span>
      <span className="tabular-nums">{value}</span>
    </span>
  );
}

export function PipelineSteps({ steps, now }: { steps: readonly RunStep[]; now: number }) {
  const totals = runTotals(steps);
  return (
    <div className="flex flex-col gap-3">
      <ol aria-label="Pipeline steps" className="flex flex-col">
        {steps.map((step, i) => (
          <li key={step.index} className="flex gap-3">
            <div className="flex flex-col items-center">
              <StepMarker step={step} />
              {i < steps.length - 1 && <span aria-hidden className="w-px flex-1 bg-border" />}
            </div>
            <div className="min-w-0 flex-1 pb-4">
              <div className="flex flex-wrap items-center gap-2">
                <span className="font-medium">{step.agent.name}</span>
                <span className="text-sm text-muted">{roleLabel(step.role)}</span>
                <Badge tone={statusTone(step.status)}>{humanStatus(step.status)}</Badge>
                {step.attempts > 1 && <span className="text-xs text-muted">attempt {step.attempts}</span>}
              </div>
              <div className="mt-1 flex flex-wrap gap-x-4 gap-y-1 text-xs">
                <Metric label="Time" value={formatDuration(stepDurationMs(step, now))} />
                <Metric label="Tokens in" value={formatTokens(step.metrics.tokensIn)} />
                <Metric label="Tokens out" value={formatTokens(step.metrics.tokensOut)} />
                <Metric label="Cost" value={formatUsd(step.metrics.costUsd)} />
              </div>
              {step.error && (
                <p role="alert" className="mt-2 rounded-md bg-danger-bg px-2 py-1 text-sm text-danger">
                  {step.error}
                </p>
              )}
              {step.output && (
                <details className="mt-2 text-sm">
                  <summary className="cursor-pointer text-accent">Output of {step.agent.name}</summary>
                  <pre className="mt-1 max-h-80 overflow-auto whitespace-pre-wrap rounded-md border border-border bg-subtle p-2 font-mono text-xs">
                    {step.output}
                  </pre>
                </details>
              )}
            </div>
          </li>
        ))}
      </ol>
      <section
        aria-label="Run totals"
        className="flex flex-wrap gap-x-4 gap-y-1 rounded-md border border-border bg-subtle px-3 py-2 text-sm"
      >
        <span className="font-medium">Total</span>
        <Metric label="Time" value={formatDuration(totals.durationMs)} />
        <Metric label="Tokens in" value={formatTokens(totals.tokensIn)} />
        <Metric label="Tokens out" value={formatTokens(totals.tokensOut)} />
        <Metric label="Cost" value={formatUsd(totals.costUsd)} />
      </section>
    </div>
  );
}

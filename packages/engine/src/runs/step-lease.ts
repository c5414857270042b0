// The lease on a running step, so two engine processes over one database never run the same step: the claim
// takes it in one conditional UPDATE, a heartbeat renews it while the step runs, every write of the step's
// progress is fenced by it, and the step's end releases it. Times are the database's clock, so processes on
// machines whose clocks disagree still agree on whether a lease has expired.

import { randomUUID } from "node:crypto";
import { readFileSync, readlinkSync } from "node:fs";
import { hostname } from "node:os";
import { schema } from "@crewdeck/db";
import { and, eq, isNull, lt, or, type SQL, sql } from "drizzle-orm";
import type { EngineDeps } from "../engine-deps";
import type { StepRow } from "./step-context";

/**
 * The trade-off: a longer lease survives longer stalls of a live process (a blocked event loop, a slow
 * database) without losing its step, a shorter one lets another process take over sooner after a crash on
 * another machine. A restart on the same machine does not wait for it: the dead process is recognised
 * (`ownerIsGone`) and its steps are taken over at once.
 */
export const DEFAULT_STEP_LEASE = { leaseMs: 30_000, heartbeatMs: 5_000 };

export type StepLeaseOptions = { leaseMs: number; heartbeatMs: number };

/** A lease held on a step by one attempt: the claim set both, and every fenced write checks both. */
export type LeaseToken = Pick<StepRow, "id" | "leaseOwner" | "attempts">;

/** Thrown when a step's fenced write finds the step taken over: this process stops working on it, quietly. */
export class StepLeaseLost extends Error {
  constructor(stepId: string) {
    super(`The lease on step ${stepId} was taken over by another process`);
  }
}

/** The database's clock, in the unit the lease columns store (unix milliseconds). */
export const dbNowMs = sql`cast(unixepoch('subsec') * 1000 as integer)`;
const expiresIn = (ms: number) => sql`cast(unixepoch('subsec') * 1000 as integer) + ${ms}`;

/** The row of `token` while the attempt that claimed it still holds it. */
export const heldBy = (token: LeaseToken): SQL =>
  and(
    eq(schema.runSteps.id, token.id),
    eq(schema.runSteps.attempts, token.attempts),
    token.leaseOwner === null
      ? isNull(schema.runSteps.leaseOwner)
      : eq(schema.runSteps.leaseOwner, token.leaseOwner),
  ) as SQL;

/** A lease nobody holds any more: released, or not renewed in time. */
export const leaseLapsed = (): SQL =>
  or(isNull(schema.runSteps.leaseExpiresAt), lt(schema.runSteps.leaseExpiresAt, dbNowMs)) as SQL;

/** The columns that say nobody holds the step: written when it is released, or completed. */
export const noLease = { leaseOwner: null, leaseExpiresAt: null };

/** The columns a claim writes. */
export const leaseFields = (leases: StepLeases) => ({
  leaseOwner: leases.owner,
  leaseExpiresAt: expiresIn(leases.leaseMs),
});

export type LeaseHold = {
  /** Aborts when the heartbeat finds the step taken over, so its model call and tools stop. */
  signal: AbortSignal;
  /**
   * Stops the heartbeat and clears the lease (if still held). `cleared`: the write that completed the step
   * cleared it already, so only the heartbeat stops.
   */
  release: (options?: { cleared?: boolean }) => Promise<void>;
};

export type StepLeases = StepLeaseOptions & {
  /** This engine's id as a lease owner: where it runs, its process id, and a random part. */
  owner: string;
  /** Starts renewing the lease `token` holds. */
  hold: (deps: Pick<EngineDeps, "db" | "logger">, token: LeaseToken) => LeaseHold;
  /** Stops every heartbeat and renews nothing from now on: the engine behaves as a process that died. */
  stop: () => void;
};

export function createStepLeases(options: Partial<StepLeaseOptions> = {}): StepLeases {
  const { leaseMs, heartbeatMs } = { ...DEFAULT_STEP_LEASE, ...options };
  if (heartbeatMs * 2 > leaseMs) throw new Error("A step lease must last at least two heartbeats");
  const owner = `${MACHINE}|${process.pid}|${randomUUID()}`;
  const timers = new Set<NodeJS.Timeout>();
  let stopped = false;
  return {
    owner,
    leaseMs,
    heartbeatMs,
    hold(deps, token) {
      const controller = new AbortController();
      let beating: Promise<unknown> = Promise.resolve();
      const renew = async () => {
        const renewed = await deps.db
          .update(schema.runSteps)
          .set({ leaseExpiresAt: expiresIn(leaseMs) })
          .where(heldBy(token))
          .returning({ id: schema.runSteps.id });
        if (renewed.length === 0) {
          clearInterval(timer);
          controller.abort(new StepLeaseLost(token.id));
        }
      };
      const timer = setInterval(() => {
        beating = beating
          .then(renew)
          .catch((error) => deps.logger.error("Step lease heartbeat failed", error));
      }, heartbeatMs);
      timer.unref();
      if (stopped) clearInterval(timer);
      else timers.add(timer);
      return {
        signal: controller.signal,
        release: async ({ cleared = false } = {}) => {
          clearInterval(timer);
          timers.delete(timer);
          await beating;
          if (stopped || cleared) return;
          await deps.db.update(schema.runSteps).set(noLease).where(heldBy(token));
        },
      };
    },
    stop() {
      stopped = true;
      for (const timer of timers) clearInterval(timer);
      timers.clear();
    },
  };
}

/**
 * Where this process runs, as precisely as a process id is meaningful: on Linux the kernel's boot and the
 * pid namespace (two containers on one host have their own), elsewhere the host name.
 */
const MACHINE = (() => {
  try {
    const boot = readFileSync("/proc/sys/kernel/random/boot_id", "utf8").trim();
    const pidNamespace = readlinkSync("/proc/self/ns/pid");
    return `${boot}/${pidNamespace}`;
  } catch {
    return hostname();
  }
})();

/**
 * Whether a lease's owner is certainly dead: it ran where process ids mean what they mean here, and its
 * process is gone. A restarted server on the same machine takes its predecessor's steps over at once
 * instead of waiting out the lease. Anything uncertain (another machine, a live process that reused the
 * id) answers false, and the lease is waited out.
 */
export function ownerIsGone(owner: string | null): boolean {
  if (!owner) return true;
  const [machine, pid] = owner.split("|");
  const id = Number(pid);
  if (machine !== MACHINE || !Number.isInteger(id) || id <= 0 || id === process.pid) return false;
  try {
    process.kill(id, 0);
    return false;
  } catch (error) {
    return (error as NodeJS.ErrnoException).code === "ESRCH";
  }
}

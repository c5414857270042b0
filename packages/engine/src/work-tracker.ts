// Background work the engine starts and does not await (steps, chat replies), kept so tests and a graceful
// shutdown can wait for it to settle.

export interface WorkTracker {
  /** Keeps `work` until it settles; its rejection is the caller's to handle before handing it over. */
  track(work: Promise<unknown>): void;
  /** Resolves once nothing tracked is pending, including work started while waiting. */
  idle(): Promise<void>;
  readonly size: number;
}

export function createWorkTracker(): WorkTracker {
  const pending = new Set<Promise<unknown>>();
  return {
    track(work) {
      const settled = work.then(
        () => {},
        () => {},
      );
      pending.add(settled);
      void settled.finally(() => pending.delete(settled));
    },
    async idle() {
      while (pending.size > 0) await Promise.allSettled([...pending]);
    },
    get size() {
      return pending.size;
    },
  };
}

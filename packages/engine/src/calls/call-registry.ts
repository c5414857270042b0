// The model calls running in this process, so a cancel, a pause or an emergency stop can abort them at
// once, and /usage/realtime can list them.

export type CallTags = {
  userId: string;
  projectId: string | null;
  agentId: string | null;
  conversationId: string | null;
  taskId: string | null;
  runId: string | null;
};

export type RunningCall = CallTags & {
  id: string;
  model: string;
  startedAt: Date;
  controller: AbortController;
  /** Why it was aborted, once it was: the call's owner reads this to tell a cancel from a pause. */
  abortReason: string | null;
};

/** Set keys must all match; `runId: null` picks the calls outside any run (chat replies). */
export type CallFilter = Partial<Pick<CallTags, "projectId" | "agentId" | "runId" | "conversationId">> & {
  /** Every call (a site-wide emergency stop). */
  all?: boolean;
};

export class CallRegistry {
  readonly #calls = new Map<string, RunningCall>();
  /** Tells the other processes (control/call-control.ts), when there are others. */
  #broadcast: ((filter: CallFilter, reason: string) => void) | null = null;

  /** From now on every `abort` here reaches the matching calls of the other processes too. */
  broadcastAborts(send: (filter: CallFilter, reason: string) => void): void {
    this.#broadcast = send;
  }

  add(call: RunningCall): () => void {
    this.#calls.set(call.id, call);
    return () => this.#calls.delete(call.id);
  }

  list(): RunningCall[] {
    return [...this.#calls.values()];
  }

  /**
   * Aborts the matching calls now, in this process and (when broadcasting) in every other; returns how many
   * ran here.
   */
  abort(filter: CallFilter, reason: string): number {
    const aborted = this.abortHere(filter, reason);
    this.#broadcast?.(filter, reason);
    return aborted;
  }

  /** Aborts the matching calls of this process only (an abort another process broadcast). */
  abortHere(filter: CallFilter, reason: string): number {
    let aborted = 0;
    for (const call of this.#calls.values()) {
      if (!matches(call, filter) || call.controller.signal.aborted) continue;
      call.abortReason = reason;
      call.controller.abort(new Error(reason));
      aborted += 1;
    }
    return aborted;
  }
}

function matches(call: RunningCall, filter: CallFilter): boolean {
  if (filter.all) return true;
  const keys = ["projectId", "agentId", "runId", "conversationId"] as const;
  const set = keys.filter((k) => filter[k] !== undefined);
  return set.length > 0 && set.every((k) => call[k] === filter[k]);
}

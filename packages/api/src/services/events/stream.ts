// One live event stream for a caller: the filters they named must be theirs to see (404 otherwise, as
// for any resource), every event is checked against who may see it before it leaves, the caller holds
// at most so many streams, and the stream ends once the credential it was opened with no longer holds.
// The tRPC subscription and the raw SSE route both come through here.
import { type AnyBusEvent, createEventVisibility, type EventVisibility } from "@crewdeck/engine";
import type { ApiDeps, AuthedContext } from "../../context";
import { type ApiError, asApiError } from "../../errors";
import { loadConversation, loadTask } from "../access/scoped-resources";
import { credentialProjectId, requireProjectRole } from "../projects/access";
import { type CredentialCheck, credentialCheck } from "./credential";
import type { EventStreamRequest } from "./request";

async function checkFilterAccess(
  db: ApiDeps["db"],
  request: EventStreamRequest,
  userId: string,
): Promise<void> {
  if (request.conversationId) await loadConversation(db, request.conversationId, userId, "viewer");
  if (request.projectId) await requireProjectRole(db, request.projectId, userId, "viewer");
  if (request.taskId) await loadTask(db, request.taskId, userId, "viewer");
}

/** A credential limited to one project sees that project's events only (decided when the stream opens). */
function withinProject(projectId: string | null, visibility: EventVisibility): EventVisibility {
  if (!projectId) return visibility;
  return { canSee: (event) => event.scope.projectId === projectId && visibility.canSee(event) };
}

async function* visibleEvents(
  source: AsyncIterator<AnyBusEvent>,
  visibility: EventVisibility,
  endedWith: () => ApiError | null,
  release: () => void,
): AsyncGenerator<AnyBusEvent, void> {
  try {
    for (;;) {
      const next = await source.next();
      const ended = endedWith();
      if (ended) throw ended;
      if (next.done) return;
      if (await visibility.canSee(next.value)) yield next.value;
    }
  } finally {
    release();
    await source.return?.();
  }
}

/**
 * Runs `check` every `intervalMs`, and at once when asked (`now`), until it finds the credential gone;
 * then calls `onEnded` once. A check that fails to read the database is retried at the next interval.
 */
function watchCredential(check: CredentialCheck, intervalMs: number, onEnded: (error: ApiError) => void) {
  let stopped = false;
  let running = false;
  let again = false;
  const run = async (fresh = false): Promise<void> => {
    if (stopped) return;
    if (running) {
      again = true;
      return;
    }
    running = true;
    try {
      const error = await check({ fresh });
      if (error && !stopped) {
        stop();
        onEnded(error);
      }
    } catch {
      // The database could not be read: the next check tries again.
    } finally {
      running = false;
      if (again && !stopped) {
        again = false;
        void run(true);
      }
    }
  };
  const timer = setInterval(() => void run(), intervalMs);
  timer.unref();
  function stop() {
    stopped = true;
    clearInterval(timer);
  }
  return { now: () => void run(true), stop };
}

type StreamContext = Pick<AuthedContext, "db" | "auth" | "engine" | "eventStreams" | "viewer" | "headers">;

/**
 * What every stream does before its first event: takes one of the caller's slots, checks the filters, and
 * starts watching the credential (`onEnded` once it dies). `stop` aborts when the client goes away, the
 * credential dies or the stream is released; the slot is freed however it ends.
 */
async function admitStream(
  ctx: StreamContext,
  request: EventStreamRequest,
  signal: AbortSignal,
  onEnded: (error: ApiError) => void,
) {
  const { db, eventStreams, viewer } = ctx;
  const userId = viewer.user.id;
  let watch: ReturnType<typeof watchCredential> | undefined;
  const slot = await eventStreams.admit(userId, () => watch?.now());
  const stop = new AbortController();
  const onGone = () => stop.abort();
  let released = false;
  const release = () => {
    if (released) return;
    released = true;
    watch?.stop();
    slot.release();
    signal.removeEventListener("abort", onGone);
    stop.abort();
  };
  try {
    await checkFilterAccess(db, request, userId);
    // Only the bus knows its ids: one it cannot resume from is refused before the stream opens.
    if (request.lastEventId) await ctx.engine.bus.checkResumeId(request.lastEventId);
    const check = await credentialCheck(ctx, viewer, ctx.headers);
    watch = watchCredential(check, eventStreams.settings.recheckIntervalMs, (error) => {
      onEnded(error);
      stop.abort();
    });
    if (signal.aborted) stop.abort();
    else signal.addEventListener("abort", onGone, { once: true });
    // However the stream ends (the client goes away, the credential dies, the bus closes), its slot is freed.
    stop.signal.addEventListener("abort", release, { once: true });
    const visibility = withinProject(
      credentialProjectId(),
      createEventVisibility(db, { userId, isAdmin: viewer.user.role === "admin" }),
    );
    const filter = {
      conversationId: request.conversationId,
      projectId: request.projectId,
      taskId: request.taskId,
      types: request.types,
    };
    return { filter, visibility, stop: stop.signal, release };
  } catch (error) {
    release();
    throw error;
  }
}

/**
 * Opens the stream for the signed-in caller. The bus subscription is registered before this resolves, so
 * a client that waits for the stream to open before acting misses nothing; `signal` ends it (and frees
 * it) when the client goes away. Once the caller's credential no longer holds (checked every
 * `recheckIntervalMs`, and at once when `eventStreams.recheckUser` asks), the stream ends with the error
 * a new request with that credential would get.
 */
export async function openEventStream(
  ctx: StreamContext,
  request: EventStreamRequest,
  signal: AbortSignal,
): Promise<AsyncIterable<AnyBusEvent>> {
  let ended: ApiError | null = null;
  const opened = await admitStream(ctx, request, signal, (error) => {
    ended = error;
  });
  const source = ctx.engine.bus
    .subscribe(opened.filter, { afterId: request.lastEventId ?? null, signal: opened.stop })
    [Symbol.asyncIterator]();
  return visibleEvents(source, opened.visibility, () => ended, opened.release);
}

/** Where a pushed stream's events go: written out at once, in order. */
export type EventFeed = {
  /** One event the caller may see. */
  write(event: AnyBusEvent): void;
  /**
   * The stream is over: the credential died (`error`), or the bus closed or its log could not be read
   * (null: the client resumes from the last id it saw). Called once; the slot is already free.
   */
  end(error: ApiError | null): void;
};

/**
 * The push form of `openEventStream`, for the raw SSE route: the same admission, filters, visibility and
 * credential checks, but each event is handed to `feed` synchronously as the bus publishes it: one pass
 * over the open streams per event, with no queue or promise per stream. The visibility answer is cached
 * (see `createEventVisibility`); while one is being looked up, later events wait behind it, in order.
 */
export async function openEventFeed(
  ctx: StreamContext,
  request: EventStreamRequest,
  signal: AbortSignal,
  feed: EventFeed,
): Promise<void> {
  let over = false;
  let release = () => {};
  const finish = (error: ApiError | null) => {
    if (over) return;
    over = true;
    release();
    feed.end(error);
  };
  const opened = await admitStream(ctx, request, signal, (error) => finish(error));
  release = opened.release;
  const { visibility } = opened;
  /** Events behind a visibility look-up, in order; null when none is under way. */
  let waiting: AnyBusEvent[] | null = null;
  const drain = async (verdict: Promise<boolean>) => {
    try {
      for (;;) {
        const event = waiting?.shift();
        if (!event) break;
        if ((await verdict) && !over) feed.write(event);
        const next = waiting?.[0];
        if (!next) break;
        const answer = visibility.canSee(next);
        verdict = Promise.resolve(answer);
      }
      waiting = null;
    } catch {
      // Membership could not be read: end the stream; the client resumes from the last id it saw.
      finish(null);
    }
  };
  const offer = (event: AnyBusEvent) => {
    if (over) return;
    if (waiting) {
      waiting.push(event);
      return;
    }
    const answer = visibility.canSee(event);
    if (answer === true) feed.write(event);
    else if (answer !== false) {
      waiting = [event];
      void drain(answer);
    }
  };
  ctx.engine.bus.listen(opened.filter, offer, {
    afterId: request.lastEventId ?? null,
    signal: opened.stop,
    // A resume id the log dropped meanwhile ends the stream with that error; any other failure ends it
    // quietly, for the client to resume from the last id it saw.
    onError: (error) => finish(asApiError(error)),
    onClosed: () => finish(null),
  });
  if (opened.stop.aborted) finish(null);
  else opened.stop.addEventListener("abort", () => finish(null), { once: true });
}

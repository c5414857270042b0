// Clients of the live event stream for tests: the raw SSE route read with fetch, and the tRPC subscription
// through @trpc/client and the `eventsource` package, each read in the background with any credential
// (a bearer token, an API key, a cookie) given as request headers.
import type { AppRouter } from "@crewdeck/api";
import type { AnyBusEvent } from "@crewdeck/engine";
import { createTRPCClient, httpLink, httpSubscriptionLink, splitLink } from "@trpc/client";
import { EventSource } from "eventsource";
import type { TestServer } from "./harness";

export type Frame = { id?: string; event?: string; data?: string; comment?: string };

export const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

/** Polls until `check` passes (it throws until then), or fails with its last error. */
export async function eventually<T>(check: () => T, timeoutMs = 10_000): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    try {
      return check();
    } catch (error) {
      if (Date.now() > deadline) throw error;
      await sleep(10);
    }
  }
}

/** Polls `probe` until it answers a value, or fails naming `what` it waited for. */
export async function until<T>(
  what: string,
  probe: () => Promise<T | undefined>,
  timeoutMs = 30_000,
): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  while (Date.now() < deadline) {
    const value = await probe();
    if (value !== undefined) return value;
    await sleep(50);
  }
  throw new Error(`timed out waiting for ${what}`);
}

export function parseFrame(text: string): Frame {
  const frame: Frame = {};
  for (const line of text.split("\n")) {
    if (line.startsWith(":")) frame.comment = line.slice(1).trim();
    const match = /^(id|event|data): ?(.*)$/.exec(line);
    if (match) frame[match[1] as "id" | "event" | "data"] = match[2];
  }
  return frame;
}

/** Message contents among the events, in the order they arrived. */
export const contents = (events: AnyBusEvent[]) =>
  events.flatMap((e) => (e.type === "message" ? [e.payload.content] : []));

/** `GET /api/v1/events`, read in the background; `ended` settles when the server closes the stream. */
export async function openRawStream(baseUrl: string, headers: Record<string, string>, query = "") {
  const controller = new AbortController();
  const res = await fetch(`${baseUrl}/api/v1/events${query}`, { headers, signal: controller.signal });
  const frames: Frame[] = [];
  let closedByServer = false;
  let pump: Promise<void> = Promise.resolve();
  if (res.status === 200 && res.body) {
    const reader = res.body.pipeThrough(new TextDecoderStream()).getReader();
    pump = (async () => {
      let buffer = "";
      try {
        for (;;) {
          const { done, value } = await reader.read();
          if (done) {
            closedByServer = true;
            return;
          }
          buffer += value;
          for (let end = buffer.indexOf("\n\n"); end >= 0; end = buffer.indexOf("\n\n")) {
            frames.push(parseFrame(buffer.slice(0, end)));
            buffer = buffer.slice(end + 2);
          }
        }
      } catch {
        // aborted by close()
      }
    })();
  }
  /** Bus events only: frames with an id (the error frame that ends a stream has none). */
  const events = () =>
    frames.filter((f) => f.event && f.id).map((f) => JSON.parse(f.data ?? "") as AnyBusEvent);
  return {
    res,
    frames,
    events,
    /** Resolves once the server has ended the stream, with whether it did. */
    ended: pump.then(() => closedByServer),
    /** Waits for a message with this content, then returns every event so far. */
    until: (content: string) =>
      eventually(() => {
        const all = events();
        if (!contents(all).includes(content)) throw new Error(`no "${content}" yet: ${contents(all)}`);
        return all;
      }),
    close: async () => {
      controller.abort();
      await pump;
    },
  };
}

export function eventsClient(baseUrl: string, headers: Record<string, string>) {
  return createTRPCClient<AppRouter>({
    links: [
      splitLink({
        condition: (op) => op.type === "subscription",
        true: httpSubscriptionLink({
          url: `${baseUrl}/trpc`,
          EventSource,
          // Node has no cookies to send: the credential goes in headers through the EventSource's fetch.
          eventSourceOptions: () => ({
            fetch: (input, init) => fetch(input, { ...init, headers: { ...init.headers, ...headers } }),
          }),
        }),
        false: httpLink({ url: `${baseUrl}/trpc`, headers: () => headers }),
      }),
    ],
  });
}

export type SubscribeInput = Parameters<
  ReturnType<typeof eventsClient>["events"]["subscribe"]["subscribe"]
>[0];

/** `events.subscribe` over tRPC's SSE link, read in the background; `started` resolves once the server has it. */
export function subscribeEvents(baseUrl: string, headers: Record<string, string>, input: SubscribeInput) {
  const received: { id: string; event: AnyBusEvent }[] = [];
  const errors: unknown[] = [];
  let markStarted: () => void = () => {};
  const started = new Promise<void>((resolve) => {
    markStarted = resolve;
  });
  const subscription = eventsClient(baseUrl, headers).events.subscribe.subscribe(input, {
    onStarted: () => markStarted(),
    onData: ({ id, data }) => {
      received.push({ id, event: data as AnyBusEvent });
    },
    onError: (error) => {
      errors.push(error);
    },
  });
  const events = () => received.map((r) => r.event);
  return {
    received,
    errors,
    started,
    events,
    until: (content: string) =>
      eventually(() => {
        const all = events();
        if (!contents(all).includes(content)) throw new Error(`no "${content}" yet: ${contents(all)}`);
        return all;
      }),
    unsubscribe: () => subscription.unsubscribe(),
  };
}

/**
 * Publishes a task_progress event that only `userId` may see: published after other events, its arrival shows
 * that whatever came before and was not received was never going to be.
 */
export const publishProbe = (server: TestServer, userId: string, taskId: string, message = "") =>
  server.deps.engine.bus.publish({
    type: "task_progress",
    scope: { userId },
    payload: { taskId, status: "pending", progress: { completed: 0, total: 1, percentage: 0 }, message },
  });

// The client side of the relay benchmarks, in a process of its own so neither relay's CPU or memory is
// shared with it: many raw SSE streams on one conversation, each noting when every streamed marker
// (`<n>|`, the n-th chunk the fake provider wrote) reached it. Told when each marker was written (the
// provider runs in the bench's process), it answers with the latencies.
import http from "node:http";
import { epochMs, type LatencySummary, summarise } from "./stats";

export type SseClientsConfig = {
  url: string;
  token: string;
  conversationId: string;
  clients: number;
  markers: number;
};
export type SseClientsReport = {
  type: "done";
  /** Marker written → read by a subscriber, over every subscriber and marker. */
  latency: LatencySummary;
  /** Marker arrivals never seen. */
  missing: number;
  /** `message_delta` frames received by all clients: fewer than markers means deltas were merged. */
  frames: number;
  failed: number;
};

const config = JSON.parse(process.argv[2] ?? "{}") as SseClientsConfig;
const send = (message: unknown) => process.send?.(message);

/** Per client, the arrival time of each marker (NaN until it arrives). */
const arrivals = new Float64Array(config.clients * config.markers).fill(Number.NaN);
let seen = 0;
let ready = 0;
let frames = 0;
let failed = 0;
let stopping = false;
let whenAllSeen: (() => void) | null = null;

const DELTA_FIELD = '"delta":"';

function onFrame(frame: string, client: number) {
  if (frame.startsWith(": connected")) {
    if (++ready === config.clients) send({ type: "ready" });
    return;
  }
  // Only the deltas matter; skipping the rest before parsing keeps the clients cheap.
  if (!frame.includes("\nevent: message_delta\n")) return;
  const now = epochMs();
  // The markers are digits and bars, never escaped: read them without parsing the whole frame's JSON,
  // which at 200,000 frames a second would take this process more CPU than the relay it measures.
  const start = frame.indexOf(DELTA_FIELD);
  if (start < 0) return;
  const delta = frame.slice(start + DELTA_FIELD.length, frame.indexOf('"', start + DELTA_FIELD.length));
  frames++;
  // The model's chunks may reach the relay merged, so one delta can carry several markers.
  for (const marker of delta.split("|")) {
    if (marker === "") continue;
    const index = Number(marker);
    if (!(index >= 0 && index < config.markers)) continue;
    const at = client * config.markers + index;
    if (!Number.isNaN(arrivals[at])) continue;
    arrivals[at] = now;
    if (++seen === config.clients * config.markers) whenAllSeen?.();
  }
}

/** node:http rather than fetch: the clients should cost as little CPU as possible beside the server. */
function openClient(agent: http.Agent, client: number): Promise<void> {
  return new Promise((resolve, reject) => {
    const request = http.get(
      `${config.url}/api/v1/events?conversationId=${config.conversationId}&types=message_delta`,
      { agent, headers: { authorization: `Bearer ${config.token}` } },
      (res) => {
        if (res.statusCode !== 200) {
          reject(new Error(`stream refused: ${res.statusCode}`));
          res.resume();
          return;
        }
        res.setEncoding("utf8");
        let buffer = "";
        res.on("data", (chunk: string) => {
          buffer += chunk;
          for (let end = buffer.indexOf("\n\n"); end >= 0; end = buffer.indexOf("\n\n")) {
            onFrame(buffer.slice(0, end), client);
            buffer = buffer.slice(end + 2);
          }
        });
        res.on("end", resolve);
        res.on("error", reject);
      },
    );
    request.on("error", reject);
  });
}

/** Once every marker arrived (or `waitMs` passed), the latencies against the times they were written. */
async function report(written: number[], waitMs: number) {
  if (seen < config.clients * config.markers) {
    await new Promise<void>((resolve) => {
      whenAllSeen = resolve;
      setTimeout(resolve, waitMs);
    });
  }
  const latencies: number[] = [];
  let missing = 0;
  for (let client = 0; client < config.clients; client++) {
    for (let marker = 0; marker < config.markers; marker++) {
      const arrived = arrivals[client * config.markers + marker] as number;
      if (Number.isNaN(arrived)) missing++;
      else latencies.push(arrived - (written[marker] as number));
    }
  }
  send({ type: "done", latency: summarise(latencies), missing, frames, failed } satisfies SseClientsReport);
}

process.on("message", (message: { type: string; written?: number[]; waitMs?: number }) => {
  if (message.type === "written") void report(message.written ?? [], message.waitMs ?? 10_000);
  if (message.type === "stop") {
    stopping = true;
    process.exit(0);
  }
});

const agent = new http.Agent({ keepAlive: false, maxSockets: Number.POSITIVE_INFINITY });
/** Streams opened at once (all of them unless BENCH_CONNECT_BATCH says fewer): then the next batch. */
const batch = Number(process.env.BENCH_CONNECT_BATCH ?? config.clients);
for (let i = 0; i < config.clients; i++) {
  openClient(agent, i).catch((error: unknown) => {
    if (stopping) return;
    failed++;
    send({ type: "error", message: String(error) });
  });
  if ((i + 1) % batch === 0) {
    const target = i + 1;
    while (ready < target) await new Promise((resolve) => setTimeout(resolve, 5));
  }
}

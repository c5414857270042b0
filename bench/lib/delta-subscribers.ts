// The client side of the token-relay benchmark, in a process of its own so the server's CPU is its own:
// raw SSE streams on one conversation, each noting when every streamed marker (`<n>|`) reached it.
import http from "node:http";
import { epochMs } from "./stats";

type Config = { url: string; token: string; conversationId: string; clients: number; markers: number };
export type DeltaSubscribersReport = {
  type: "done";
  /** Per client, the arrival time (epoch ms) of each marker, indexed by marker; null for one never seen. */
  arrivals: Array<Array<number | null>>;
  /** `message_delta` frames received by all clients: fewer than markers means deltas were merged. */
  frames: number;
  failed: number;
};

const config = JSON.parse(process.argv[2] ?? "{}") as Config;
const send = (message: unknown) => process.send?.(message);

const arrivals = Array.from({ length: config.clients }, () =>
  new Array<number>(config.markers).fill(Number.NaN),
);
let ready = 0;
let finished = 0;
let frames = 0;
let failed = 0;
let stopping = false;

function report() {
  send({ type: "done", arrivals, frames, failed } satisfies DeltaSubscribersReport);
}

function onFrame(frame: string, client: number, state: { seen: number }) {
  if (frame.startsWith(": connected")) {
    if (++ready === config.clients) send({ type: "ready" });
    return;
  }
  // Only the deltas matter; skipping the rest before parsing keeps the clients cheap.
  if (!frame.includes("\nevent: message_delta\n")) return;
  const data = frame.split("\n").find((line) => line.startsWith("data: "));
  if (!data) return;
  const now = epochMs();
  const event = JSON.parse(data.slice("data: ".length)) as { payload: { delta: string } };
  frames++;
  const times = arrivals[client] as number[];
  // The model's chunks may reach the relay merged, so one delta can carry several markers.
  for (const marker of event.payload.delta.split("|")) {
    if (marker === "") continue;
    const index = Number(marker);
    if (!(index >= 0 && index < config.markers) || !Number.isNaN(times[index])) continue;
    times[index] = now;
    if (++state.seen === config.markers && ++finished === config.clients) report();
  }
}

/** node:http rather than fetch: the clients should cost as little CPU as possible beside the server. */
function openClient(agent: http.Agent, client: number): Promise<void> {
  return new Promise((resolve, reject) => {
    const request = http.get(
      `${config.url}/api/v1/events?conversationId=${config.conversationId}`,
      { agent, headers: { authorization: `Bearer ${config.token}` } },
      (res) => {
        if (res.statusCode !== 200) {
          reject(new Error(`stream refused: ${res.statusCode}`));
          res.resume();
          return;
        }
        res.setEncoding("utf8");
        const state = { seen: 0 };
        let buffer = "";
        res.on("data", (chunk: string) => {
          buffer += chunk;
          for (let end = buffer.indexOf("\n\n"); end >= 0; end = buffer.indexOf("\n\n")) {
            onFrame(buffer.slice(0, end), client, state);
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

process.on("message", (message: { type: string }) => {
  if (message.type === "report") report();
  if (message.type === "stop") {
    stopping = true;
    process.exit(0);
  }
});

const agent = new http.Agent({ keepAlive: false, maxSockets: Number.POSITIVE_INFINITY });
for (let i = 0; i < config.clients; i++) {
  openClient(agent, i).catch((error: unknown) => {
    if (stopping) return;
    failed++;
    send({ type: "error", message: String(error) });
  });
}

// The client side of the fan-out benchmark, in a process of its own so the server's memory is measured
// alone: many raw SSE streams on one conversation, each timing every event against the time it was sent.
import http from "node:http";
import { epochMs, summarise } from "./stats";

type Config = { url: string; token: string; conversationId: string; clients: number; expected: number };
export type ClientReport = {
  type: "done";
  received: number;
  failed: number;
  message: ReturnType<typeof summarise>;
  delta: ReturnType<typeof summarise>;
};

const config = JSON.parse(process.argv[2] ?? "{}") as Config;
const send = (message: unknown) => process.send?.(message);

const messageLatency: number[] = [];
const deltaLatency: number[] = [];
let received = 0;
let ready = 0;
let finished = 0;
let failed = 0;
let stopping = false;

function report() {
  send({
    type: "done",
    received,
    failed,
    message: summarise(messageLatency),
    delta: summarise(deltaLatency),
  } satisfies ClientReport);
}

function onFrame(frame: string, state: { seen: number }) {
  if (frame.startsWith(": connected")) {
    if (++ready === config.clients) send({ type: "ready" });
    return;
  }
  const data = frame.split("\n").find((line) => line.startsWith("data: "));
  if (!data) return;
  const now = epochMs();
  const event = JSON.parse(data.slice("data: ".length)) as {
    type: string;
    payload: { content?: string; delta?: string };
  };
  if (event.type === "message") messageLatency.push(now - Number(event.payload.content));
  else if (event.type === "message_delta") deltaLatency.push(now - Number(event.payload.delta));
  received++;
  if (++state.seen === config.expected && ++finished === config.clients) report();
}

/** node:http rather than fetch: the clients should cost as little CPU as possible beside the server. */
function openClient(agent: http.Agent): Promise<void> {
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
            onFrame(buffer.slice(0, end), state);
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
  openClient(agent).catch((error: unknown) => {
    if (stopping) return;
    failed++;
    send({ type: "error", message: String(error) });
  });
}

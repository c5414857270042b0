// A model's streamed reply on its way to the people watching: how long each chunk takes from the moment
// the local fake provider writes it to the moment a raw SSE subscriber of the conversation reads it —
// through the real Anthropic SDK, the chat reply loop, the event bus (one stored row per delta) and the
// SSE route — with one subscriber and with a hundred.
import { type ChildProcess, fork } from "node:child_process";
import http from "node:http";
import path from "node:path";
import { fileURLToPath } from "node:url";
import type { FakeScript } from "../packages/engine/src/testing/index";
import { nextMessage } from "./lib/child-messages";
import type { DeltaSubscribersReport } from "./lib/delta-subscribers";
import {
  createProject,
  type ServerWithFakeModel,
  startServerWithFakeModel,
} from "./lib/server-with-fake-model";
import { epochMs, printLatency, summarise } from "./lib/stats";

const CHUNKS_PER_REPLY = 200;
/** A fast model: 200 chunks a second. */
const CHUNK_DELAY_MS = 5;
const REPLIES = 2;
const SUBSCRIBER_COUNTS = (process.env.BENCH_SUBSCRIBERS ?? "1,100").split(",").map(Number);

const here = path.dirname(fileURLToPath(import.meta.url));

/** Notes when each marker reaches a subscriber of the bus in this process: the relay before the SSE route. */
function listenOnBus(bench: ServerWithFakeModel, conversationId: string, markers: number) {
  const arrivals = new Array<number>(markers).fill(Number.NaN);
  const stop = new AbortController();
  const events = bench.server.deps.engine.bus.subscribe(
    { conversationId, types: ["message_delta"] },
    { signal: stop.signal },
  );
  const done = (async () => {
    for await (const event of events) {
      if (event.type !== "message_delta") continue;
      const now = epochMs();
      for (const marker of event.payload.delta.split("|")) {
        if (marker !== "") arrivals[Number(marker)] = now;
      }
    }
  })();
  return {
    arrivals,
    stop: async () => {
      stop.abort();
      await done;
    },
  };
}

/**
 * The minimal equivalent, for comparison in the same run: a bare node:http SSE server that reads the same
 * fake provider's stream and writes each text chunk to every open response, nothing else.
 */
async function startMinimalRelay(bench: ServerWithFakeModel) {
  const clients = new Set<http.ServerResponse>();
  const server = http.createServer((req, res) => {
    res.writeHead(200, { "content-type": "text/event-stream" });
    res.write(": connected\n\n");
    clients.add(res);
    req.on("close", () => clients.delete(res));
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  let id = 0;
  const relay = async (script: FakeScript) => {
    bench.fake.enqueue(script);
    const res = await fetch(`${bench.fake.url}/v1/messages`, {
      method: "POST",
      headers: {
        "content-type": "application/json",
        "x-api-key": bench.fakeApiKey,
        "anthropic-version": "2023-06-01",
      },
      body: JSON.stringify({
        model: "claude-x",
        max_tokens: 1024,
        stream: true,
        messages: [{ role: "user", content: "Go on" }],
      }),
    });
    const decoder = new TextDecoder();
    let buffer = "";
    for await (const chunk of res.body as unknown as AsyncIterable<Uint8Array>) {
      buffer += decoder.decode(chunk, { stream: true });
      for (let end = buffer.indexOf("\n\n"); end >= 0; end = buffer.indexOf("\n\n")) {
        const frame = buffer.slice(0, end);
        buffer = buffer.slice(end + 2);
        const data = frame.split("\n").find((line) => line.startsWith("data: "));
        if (!data || !frame.includes("content_block_delta")) continue;
        const text = (JSON.parse(data.slice(6)) as { delta: { text?: string } }).delta.text ?? "";
        const out = `id: ${++id}\nevent: message_delta\ndata: ${JSON.stringify({ type: "message_delta", payload: { delta: text } })}\n\n`;
        for (const client of clients) client.write(out);
      }
    }
  };
  const { port } = server.address() as { port: number };
  return {
    url: `http://127.0.0.1:${port}`,
    relay,
    close: () => {
      for (const client of clients) client.destroy();
      server.close();
    },
  };
}

export async function run(): Promise<void> {
  const bench = await startServerWithFakeModel("token-relay", {
    // One bench user holds every stream: the per-person quota is for people, not for this.
    MAX_EVENT_STREAMS_PER_USER: "100000",
  });
  let child: ChildProcess | undefined;
  try {
    const { projectId, crew } = await createProject(bench, "Token relay");
    const agent = crew[0];
    if (!agent) throw new Error("the project has no crew");
    const conversation = await bench.api<{ id: string }>("POST", "/conversations", {
      title: "Token relay",
      projectId,
      agentIds: [agent.id],
    });
    const ask = async (script?: FakeScript) => {
      if (script) bench.fake.enqueue(script);
      await bench.api("POST", `/conversations/${conversation.id}/messages`, { content: "Go on" });
      await bench.server.deps.engine.replies.idle();
    };
    // Warm the code paths once (the default reply), so the figures are about relaying, not compiling.
    await ask();

    const markers = CHUNKS_PER_REPLY * REPLIES;
    console.log(
      `${REPLIES} replies of ${CHUNKS_PER_REPLY} chunks each, ${CHUNK_DELAY_MS} ms apart, from the fake to subscribers in a child process`,
    );
    const minimal = await startMinimalRelay(bench);
    try {
      for (const clients of SUBSCRIBER_COUNTS) {
        for (const relay of ["crewdeck", "minimal"] as const) {
          const url = relay === "crewdeck" ? bench.server.url : minimal.url;
          child = fork(
            path.join(here, "lib/delta-subscribers.ts"),
            [JSON.stringify({ url, token: bench.token, conversationId: conversation.id, clients, markers })],
            { execArgv: ["--import", "tsx"] },
          );
          await nextMessage(child, "ready", 120_000);
          const bus = relay === "crewdeck" ? listenOnBus(bench, conversation.id, markers) : null;
          const done = nextMessage<DeltaSubscribersReport>(child, "done", 120_000);

          const written = new Array<number>(markers).fill(Number.NaN);
          for (let reply = 0; reply < REPLIES; reply++) {
            const first = reply * CHUNKS_PER_REPLY;
            const script: FakeScript = {
              text: Array.from({ length: CHUNKS_PER_REPLY }, (_, i) => `${first + i}|`),
              chunkDelayMs: CHUNK_DELAY_MS,
              onChunk: (i) => {
                written[first + i] = epochMs();
              },
            };
            if (relay === "crewdeck") await ask(script);
            else await minimal.relay(script);
          }
          const report = await done;
          await bus?.stop();
          child.send({ type: "stop" });
          child = undefined;

          const relayed = (arrived: number, marker: number) => arrived - (written[marker] ?? Number.NaN);
          const toSubscribers = report.arrivals.flatMap((times) =>
            times.flatMap((arrived, marker) => (arrived === null ? [] : [relayed(arrived, marker)])),
          );
          if (bus) {
            const toBus = bus.arrivals.flatMap((arrived, marker) =>
              Number.isNaN(arrived) ? [] : [relayed(arrived, marker)],
            );
            printLatency("provider write → bus subscriber (in-process)", summarise(toBus));
          }
          printLatency(`${relay}: provider write → ${clients} SSE subscriber(s)`, summarise(toSubscribers));
          console.log(
            `${"".padEnd(44)} ${(report.frames / clients).toFixed(0)} message_delta frames per subscriber for ${markers} chunks; ${report.failed} streams failed`,
          );
        }
      }
    } finally {
      minimal.close();
    }
  } finally {
    child?.send({ type: "stop" });
    await bench.close();
  }
}

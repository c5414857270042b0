// The minimal equivalent of the live relay, for comparison in the same run and the same process layout: a
// bare node:http SSE server in a process of its own that, when told, reads the fake provider's stream and
// writes each text chunk to every open response as a frame the size of the real one. Nothing else: no
// auth, no bus, no storage, no visibility.
import http from "node:http";
import { fileURLToPath } from "node:url";
import { answerParent, serveCommonRequests } from "./server-child";

export const minimalRelayModule = fileURLToPath(import.meta.url);

type Config = { fakeUrl: string; apiKey: string };

if (process.argv[1] === minimalRelayModule && process.send) {
  const config = JSON.parse(process.argv[2] ?? "{}") as Config;
  const clients = new Set<http.ServerResponse>();
  const server = http.createServer((req, res) => {
    if (req.method !== "GET" || !req.url?.startsWith("/api/v1/events")) {
      res.writeHead(404).end();
      return;
    }
    res.writeHead(200, { "content-type": "text/event-stream; charset=utf-8", "cache-control": "no-cache" });
    res.write(": connected\n\n");
    clients.add(res);
    req.on("close", () => clients.delete(res));
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  let id = 0;
  const relay = async () => {
    const res = await fetch(`${config.fakeUrl}/v1/messages`, {
      method: "POST",
      headers: {
        "content-type": "application/json",
        "x-api-key": config.apiKey,
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
        id++;
        // The fields of Crewdeck's own frame, so both write about as many bytes.
        const event = {
          id: String(id),
          type: "message_delta",
          scope: {
            userId: "u".repeat(21),
            projectId: "p".repeat(21),
            conversationId: "c".repeat(21),
            taskId: null,
          },
          payload: { messageId: "m".repeat(21), conversationId: "c".repeat(21), delta: text },
          createdAt: new Date().toISOString(),
        };
        const out = `id: ${id}\nevent: message_delta\ndata: ${JSON.stringify(event)}\n\n`;
        for (const client of clients) client.write(out);
      }
    }
  };
  const common = serveCommonRequests();
  answerParent(async (request) => {
    if (request.type === "relay") {
      await relay();
      return {};
    }
    if (request.type === "stop") {
      for (const client of clients) client.destroy();
      server.close();
      process.exit(0);
    }
    return common(request);
  });
  const { port } = server.address() as { port: number };
  process.send({ type: "listening", url: `http://127.0.0.1:${port}` });
}

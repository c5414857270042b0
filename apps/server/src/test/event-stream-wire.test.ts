// What the raw event stream looks like on the wire, read from a bare TCP socket: an SSE body that is not
// chunked (it runs until the connection closes, `Connection: close`), so each frame is written as it is,
// and the events of one burst reach the client whole and in order.
import net from "node:net";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { registerUser, startTestServer, type TestServer } from "./harness";
import { eventually } from "./live-events";

describe("the raw event stream on the wire", () => {
  let server: TestServer;

  beforeAll(async () => {
    server = await startTestServer({ RATE_LIMIT_GENERAL_PER_MINUTE: "100000" });
  });

  afterAll(async () => {
    await server?.stop();
  });

  it("sends an unchunked SSE body that ends with the connection, each frame as written", async () => {
    const user = await registerUser(server);
    const created = await server.api("POST", "/conversations", {
      token: user.access_token,
      body: { title: "Wire" },
    });
    const conversationId = created.body.id as string;
    const { port } = new URL(server.url);
    const socket = net.connect(Number(port), "127.0.0.1");
    let received = "";
    socket.setEncoding("utf8");
    socket.on("data", (chunk: string) => {
      received += chunk;
    });
    const closed = new Promise<void>((resolve) => socket.once("close", () => resolve()));
    socket.write(
      `GET /api/v1/events?conversationId=${conversationId}&types=message HTTP/1.1\r\nHost: 127.0.0.1\r\nAuthorization: Bearer ${user.access_token}\r\n\r\n`,
    );
    await eventually(() => expect(received).toContain("\r\n\r\n: connected\n\n"));
    const [head = "", body = ""] = received.split("\r\n\r\n");
    expect(head).toMatch(/^HTTP\/1\.1 200 /);
    expect(head).toMatch(/\r\ncontent-type: text\/event-stream; charset=utf-8/i);
    expect(head).toMatch(/\r\nconnection: close/i);
    expect(head).not.toMatch(/transfer-encoding/i);
    expect(head).not.toMatch(/content-length/i);
    expect(body).toBe(": connected\n\n");

    // A burst of messages: each is one whole frame in the body, in order, with nothing between.
    for (const content of ["one", "two", "three"]) {
      await server.api("POST", `/conversations/${conversationId}/messages`, {
        token: user.access_token,
        body: { content },
      });
    }
    const frames = await eventually(() => {
      const all = (received.split("\r\n\r\n")[1] ?? "").split("\n\n").filter(Boolean);
      expect(all).toHaveLength(4);
      return all;
    });
    expect(frames[0]).toBe(": connected");
    const messages = frames.slice(1).map((frame) => {
      const [id, event, data] = frame.split("\n");
      expect(id).toMatch(/^id: \S+$/);
      expect(event).toBe("event: message");
      return (JSON.parse(data?.slice("data: ".length) ?? "") as { payload: { content: string } }).payload
        .content;
    });
    expect(messages).toEqual(["one", "two", "three"]);

    socket.end();
    await closed;
  });
});

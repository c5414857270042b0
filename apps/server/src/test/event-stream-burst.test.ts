// A burst of raw SSE streams, as when every client of a restarted server reconnects at once: the server
// admits them a few dozen at a time (so their admissions' working memory is never all held together),
// every stream still opens and gets every event, and a client that leaves while its stream waits for its
// turn holds no slot and no subscription afterwards.
import http from "node:http";
import type { DatabaseEventBus } from "@crewdeck/engine";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { registerUser, startTestServer, type TestServer } from "./harness";
import { contents, eventually, openRawStream } from "./live-events";

/** More than the server admits at once (32), so some of each wait their turn. */
const KEPT = 40;
const LEAVING = 80;

describe("a burst of event streams", () => {
  let server: TestServer;

  beforeAll(async () => {
    server = await startTestServer({
      MAX_EVENT_STREAMS_PER_USER: "1000",
      RATE_LIMIT_GENERAL_PER_MINUTE: "100000",
    });
  });

  afterAll(async () => {
    await server?.stop();
  });

  it("opens every stream of a burst, each gets every event, and one that leaves while waiting holds nothing", async () => {
    const user = await registerUser(server);
    const headers = { authorization: `Bearer ${user.access_token}` };
    const created = await server.api("POST", "/conversations", {
      token: user.access_token,
      body: { title: "Burst" },
    });
    const conversationId = created.body.id as string;
    const query = `?conversationId=${conversationId}`;

    // Clients that ask and leave as soon as the request is out, most of them before their turn comes.
    const leaving = Array.from({ length: LEAVING }, () => {
      const request = http.get(`${server.url}/api/v1/events${query}`, { headers });
      request.on("error", () => {});
      request.on("finish", () => setImmediate(() => request.destroy()));
      return request;
    });
    const kept = await Promise.all(
      Array.from({ length: KEPT }, () => openRawStream(server.url, headers, query)),
    );
    expect(kept.map((stream) => stream.res.status)).toEqual(new Array(KEPT).fill(200));
    expect(leaving.every((request) => request.destroyed)).toBe(true);

    // Only the streams still read hold a slot and a subscription, once the others' turns have passed.
    const bus = server.deps.engine.bus as DatabaseEventBus;
    await eventually(() => {
      expect(server.deps.eventStreams.count(user.user.id)).toBe(KEPT);
      expect(bus.stats().subscribers).toBe(KEPT);
    });

    await server.api("POST", `/conversations/${conversationId}/messages`, {
      token: user.access_token,
      body: { content: "to everyone" },
    });
    for (const stream of kept) expect(contents(await stream.until("to everyone"))).toEqual(["to everyone"]);

    await Promise.all(kept.map((stream) => stream.close()));
    await eventually(() => expect(server.deps.eventStreams.count(user.user.id)).toBe(0));
  });
});

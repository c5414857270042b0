import { connect } from "node:net";
import { describe, expect, it } from "vitest";
import { redisServerAvailable, startRedisServer } from "./redis-server";

describe.runIf(await redisServerAvailable())("the test Redis", () => {
  it("answers PING on its loopback port and is gone once stopped", async () => {
    const redis = await startRedisServer();
    const ask = () =>
      new Promise<string>((resolve, reject) => {
        const socket = connect(redis.port, "127.0.0.1", () => socket.write("PING\r\n"));
        socket.once("data", (data) => {
          resolve(data.toString());
          socket.end();
        });
        socket.once("error", reject);
      });
    expect(await ask()).toBe("+PONG\r\n");
    await redis.stop();
    await expect(ask()).rejects.toThrow(/ECONNREFUSED/);
  });
});

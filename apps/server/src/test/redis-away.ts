// A change made while the event bus's Redis is away (issue 19): the suites that check a change answers
// without waiting for the bus, and that its events reach subscribers once Redis is back.
import { startRedisServer, type TestRedis } from "@crewdeck/engine/testing";

/**
 * Stops `redis`, makes `change`, and starts Redis again on the same port (empty, as after a restart) once
 * the change is answered or 1.5 s have passed, whichever is first. Redis comes back well within the 2 s a
 * change used to wait for the bus, so `answeredFirst` is false for a change that waited for it. Resolves
 * with the change's answer and the Redis now running (the old handle is stopped).
 */
export async function changeWhileRedisAway<T>(
  redis: TestRedis,
  change: () => Promise<T>,
): Promise<{ result: T; answeredFirst: boolean; redis: TestRedis }> {
  await redis.stop();
  const order: string[] = [];
  const answered = change().then((result) => {
    order.push("answered");
    return result;
  });
  await Promise.race([answered.catch(() => {}), new Promise((resolve) => setTimeout(resolve, 1_500))]);
  order.push("Redis back");
  const back = await startRedisServer({ port: redis.port });
  const result = await answered;
  return { result, answeredFirst: order[0] === "answered", redis: back };
}

// BullMQ as the engine package has it (the root has no copy of its own).
import { createRequire } from "node:module";
import { pathToFileURL } from "node:url";

type BullMq = typeof import("../../packages/engine/node_modules/bullmq/dist/esm/index.js");

const engineRequire = createRequire(new URL("../../packages/engine/package.json", import.meta.url));
export const { Queue, QueueEvents, Worker } = (await import(
  pathToFileURL(engineRequire.resolve("bullmq")).href
)) as BullMq;
export { createRedisConnection } from "../../packages/engine/src/redis/connection";

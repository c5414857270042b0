// A bare BullMQ worker for the queue-throughput floor: each job adds the next job of its chain.
import { createRedisConnection, Queue, Worker } from "./bullmq";

const url = process.argv[2] ?? "redis://127.0.0.1:6379";
const connection = () => createRedisConnection(url);
const queue = new Queue("bare-chain", { connection: connection(), prefix: "bench" });
const worker = new Worker(
  "bare-chain",
  async (job: { data: unknown }) => {
    const { chain, index, steps } = job.data as { chain: string; index: number; steps: number };
    if (index + 1 < steps)
      await queue.add(
        "step",
        { chain, index: index + 1, steps },
        { jobId: `${chain}:${index + 1}`, removeOnComplete: true },
      );
  },
  { connection: connection(), prefix: "bench", concurrency: 4 },
);
await worker.waitUntilReady();
process.send?.("ready");

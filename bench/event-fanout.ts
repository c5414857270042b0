// Many idle subscribers on one conversation, then a 10 Hz stream to all of them: what each open stream
// costs the server in memory, and how long each chunk takes from the provider's write to every
// subscriber. The provider (the local fake) is in this process, the real server and a minimal
// hand-written relay each in a child process of their own, the subscribers in another, in interleaved
// rounds. `BENCH_CLIENTS=10000` is the goal (≤ 50 KB RSS per stream, p99 ≤ 250 ms).
// `BENCH_HEAP_SNAPSHOT=<file>` writes a heap snapshot of the server holding the idle streams.
import { printComparison, printRound, type RoundResult, runRound, startRelays } from "./lib/relay-rounds";

const CLIENTS = Number(process.env.BENCH_CLIENTS ?? 1_000);
const ROUNDS = Number(process.env.BENCH_ROUNDS ?? 2);
/** 10 Hz for 10 seconds. */
const CHUNKS = Number(process.env.BENCH_CHUNKS ?? 100);
const CHUNK_DELAY_MS = Number(process.env.BENCH_CHUNK_DELAY_MS ?? 100);
const SNAPSHOT = process.env.BENCH_HEAP_SNAPSHOT;
/** `BENCH_CPU_PROFILE=<prefix>` profiles the server child through the first round's replies. */
const PROFILE = process.env.BENCH_CPU_PROFILE;

export async function run(): Promise<void> {
  const relays = await startRelays("event-fanout");
  try {
    console.log(
      `${CLIENTS} SSE subscribers held open, then ${CHUNKS} chunks ${CHUNK_DELAY_MS} ms apart from the fake provider (bench process) through each relay (child process) to all of them (another child)`,
    );
    const results: RoundResult[] = [];
    for (let round = 0; round < ROUNDS; round++) {
      const order = round % 2 === 0 ? [relays.crewdeck, relays.minimal] : [relays.minimal, relays.crewdeck];
      for (const relay of order) {
        const result = await runRound(relay, {
          clients: CLIENTS,
          replies: 1,
          chunksPerReply: CHUNKS,
          chunkDelayMs: CHUNK_DELAY_MS,
          settleMs: 2_000,
          whileIdle:
            SNAPSHOT && round === 0
              ? async (r) => {
                  const file = `${SNAPSHOT}-${r.name}.heapsnapshot`;
                  await r.child.heapSnapshot(file);
                  console.log(`heap snapshot of ${r.name} with ${CLIENTS} idle streams written to ${file}`);
                }
              : undefined,
          aroundReplies:
            PROFILE && round === 0 && relay.name === "crewdeck"
              ? async (r, work) => {
                  await r.child.startProfile();
                  await work();
                  const file = `${PROFILE}-${CLIENTS}.cpuprofile`;
                  await r.child.stopProfile(file);
                  console.log(`CPU profile of the server through the replies written to ${file}`);
                }
              : undefined,
        });
        printRound(result, CLIENTS);
        results.push(result);
      }
    }
    printComparison(results, CLIENTS, { p99Ms: 250 });
  } finally {
    await relays.close();
  }
}

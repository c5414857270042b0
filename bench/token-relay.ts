// A model's streamed reply on its way to the people watching: how long each chunk takes from the moment
// the provider (the local fake, in this process) writes it to the moment a raw SSE subscriber of the
// conversation reads it, through the real server in a process of its own (the Anthropic SDK, the chat
// reply loop, the event bus and the SSE route), beside a minimal hand-written relay in the same layout,
// in interleaved rounds. `BENCH_SUBSCRIBERS=1,1000` for the two goals.
import { writeFile } from "node:fs/promises";
import { printComparison, printRound, type RoundResult, runRound, startRelays } from "./lib/relay-rounds";

const CHUNKS_PER_REPLY = 200;
/** A fast model: 200 chunks a second. */
const CHUNK_DELAY_MS = 5;
const REPLIES = 2;
const ROUNDS = Number(process.env.BENCH_ROUNDS ?? 3);
const SUBSCRIBER_COUNTS = (process.env.BENCH_SUBSCRIBERS ?? "1,100,1000").split(",").map(Number);
/** `BENCH_CPU_PROFILE=<prefix>` profiles the server child through the last round's replies. */
const PROFILE = process.env.BENCH_CPU_PROFILE;

export async function run(): Promise<void> {
  const relays = await startRelays("token-relay");
  try {
    console.log(
      `${REPLIES} replies of ${CHUNKS_PER_REPLY} chunks each, ${CHUNK_DELAY_MS} ms apart, from the fake provider (bench process) through each relay (child process) to subscribers (another child)`,
    );
    for (const clients of SUBSCRIBER_COUNTS) {
      const results: RoundResult[] = [];
      for (let round = 0; round < ROUNDS; round++) {
        // Alternate which goes first, so neither always runs on a machine the other just warmed or loaded.
        const order = round % 2 === 0 ? [relays.crewdeck, relays.minimal] : [relays.minimal, relays.crewdeck];
        for (const relay of order) {
          const profile = PROFILE && relay.name === "crewdeck" && round === ROUNDS - 1;
          const result = await runRound(relay, {
            clients,
            replies: REPLIES,
            chunksPerReply: CHUNKS_PER_REPLY,
            chunkDelayMs: CHUNK_DELAY_MS,
            aroundReplies: profile
              ? async (r, work) => {
                  await r.child.startProfile();
                  await work();
                  const file = `${PROFILE}-${clients}.cpuprofile`;
                  await r.child.stopProfile(file);
                  console.log(`CPU profile of the server through the replies written to ${file}`);
                }
              : undefined,
          });
          printRound(result, clients);
          results.push(result);
        }
      }
      printComparison(results, clients, { p99OverheadMs: clients >= 1000 ? 50 : 5 });
      if (process.env.BENCH_JSON)
        await writeFile(`${process.env.BENCH_JSON}-${clients}.json`, JSON.stringify(results));
    }
  } finally {
    await relays.close();
  }
}

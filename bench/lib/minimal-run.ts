// The hand-written equivalent of a six-step run, for comparison in the same process: the same six streamed
// calls made directly with the Anthropic SDK against the same fake, and per step the few writes a run
// cannot do without (the step's message, the call's usage, the step's output) in one transaction, on the
// same database file through the same client.
import { createRequire } from "node:module";
import path from "node:path";
import { fileURLToPath } from "node:url";
import type { Database } from "../../packages/db/src/client";

type Client = Database["$client"];

/** The part of the SDK this uses (the SDK is the engine's dependency, not the benchmarks'). */
type AnthropicClient = {
  messages: {
    stream(params: {
      model: string;
      max_tokens: number;
      system: string;
      messages: { role: "user"; content: string }[];
    }): {
      finalMessage(): Promise<{
        id: string;
        content: { type: string; text?: string }[];
        usage: { input_tokens: number; output_tokens: number };
      }>;
    };
  };
};

const enginePackage = path.join(
  path.dirname(fileURLToPath(import.meta.url)),
  "../../packages/engine/package.json",
);
const { default: Anthropic } = createRequire(enginePackage)("@anthropic-ai/sdk") as {
  default: new (options: { apiKey: string; baseURL: string; maxRetries: number }) => AnthropicClient;
};

export type MinimalRun = {
  /** Runs the six steps, one after another: `prompts[i]` is step i's system prompt, answered by the fake. */
  run(prompts: string[]): Promise<void>;
};

export async function createMinimalRun(client: Client, fakeUrl: string, apiKey: string): Promise<MinimalRun> {
  await client.execute(
    "CREATE TABLE IF NOT EXISTS bench_messages (id INTEGER PRIMARY KEY, run_id TEXT NOT NULL, step INTEGER NOT NULL, content TEXT NOT NULL)",
  );
  await client.execute(
    "CREATE TABLE IF NOT EXISTS bench_usage (id INTEGER PRIMARY KEY, run_id TEXT NOT NULL, provider_message_id TEXT, input_tokens INTEGER, output_tokens INTEGER)",
  );
  await client.execute(
    "CREATE TABLE IF NOT EXISTS bench_steps (run_id TEXT NOT NULL, step INTEGER NOT NULL, output TEXT, PRIMARY KEY (run_id, step))",
  );
  const anthropic = new Anthropic({ apiKey, baseURL: fakeUrl, maxRetries: 0 });
  let runs = 0;
  return {
    async run(prompts) {
      const runId = `minimal-${++runs}`;
      let earlier = "";
      for (const [step, system] of prompts.entries()) {
        const stream = anthropic.messages.stream({
          model: "claude-fake",
          max_tokens: 4096,
          system,
          messages: [{ role: "user", content: `Do your part of the task.${earlier}` }],
        });
        const message = await stream.finalMessage();
        const text = message.content
          .map((block) => (block.type === "text" ? (block.text ?? "") : ""))
          .join("");
        earlier = `\n\nThe step before said:\n${text}`;
        const tx = await client.transaction("write");
        try {
          await tx.execute({
            sql: "INSERT INTO bench_messages (run_id, step, content) VALUES (?, ?, ?)",
            args: [runId, step, text],
          });
          await tx.execute({
            sql: "INSERT INTO bench_usage (run_id, provider_message_id, input_tokens, output_tokens) VALUES (?, ?, ?, ?)",
            args: [runId, message.id, message.usage.input_tokens, message.usage.output_tokens],
          });
          await tx.execute({
            sql: "INSERT INTO bench_steps (run_id, step, output) VALUES (?, ?, ?)",
            args: [runId, step, text],
          });
          await tx.commit();
        } finally {
          tx.close();
        }
      }
    },
  };
}

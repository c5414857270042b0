// Holding a step's final answer to its role's output contract (the fenced json block the next steps read).
// A broken answer gets one request to fix it; a second broken answer is kept as written, with a warning in
// the run's log, rather than failing the run over the answer's form.
import type { Engine } from "../engine";
import type { StopReason } from "../providers/types";
import { parseRoleOutput } from "../roles/output-contracts";
import { logRun } from "./run-log";
import { appendUserContent, type StepCheckpoint } from "./step-checkpoint";
import type { StepContext } from "./step-context";

/**
 * The checkpoint that asks the agent once to fix an answer that breaks its contract, or null when the
 * answer is kept: it follows the contract, the agent was already asked, or it was cut at max_tokens (a
 * second try would be cut alike).
 */
export async function checkOutputContract(
  engine: Engine,
  { run, agent }: StepContext,
  checkpoint: StepCheckpoint,
  answer: string,
  stopReason: StopReason,
): Promise<StepCheckpoint | null> {
  const parsed = parseRoleOutput(agent.role, answer);
  if (parsed.ok) return null;
  if (!checkpoint.corrected && stopReason !== "max_tokens") {
    await logRun(
      engine.db,
      run.id,
      `${agent.name}'s answer broke its output contract; asked once to fix it`,
      "warn",
    );
    return {
      ...checkpoint,
      corrected: true,
      messages: appendUserContent(checkpoint.messages, [
        {
          type: "text",
          text: `Your answer does not follow the output contract:\n- ${parsed.problems.join("\n- ")}\nAnswer again in full, ending with the one fenced json block the contract asks for.`,
        },
      ]),
    };
  }
  await logRun(
    engine.db,
    run.id,
    `${agent.name}'s answer still breaks its output contract; kept as written`,
    "warn",
  );
  return null;
}

// Builds the engine once per process.
import { CallRegistry } from "./calls/call-registry";
import type { Engine, StoredFileReader } from "./engine";
import type { EngineDeps } from "./engine-deps";
import { executeStep } from "./runs/execute-step";
import { createInProcessExecutor } from "./runs/step-executor";
import { createStepLeases, type StepLeaseOptions } from "./runs/step-lease";
import { createDefaultToolRegistry } from "./tools/default-tools";
import type { ToolRegistry } from "./tools/registry";
import { createWorkTracker } from "./work-tracker";

export function createEngine(
  deps: EngineDeps & {
    readFile: StoredFileReader;
    tools?: ToolRegistry;
    /** How long a step's lease lasts and how often it is renewed (defaults: 30 s, every 5 s). */
    stepLease?: Partial<StepLeaseOptions>;
  },
): Engine {
  const { stepLease, ...rest } = deps;
  const engine = {
    ...rest,
    leases: createStepLeases(stepLease),
    calls: new CallRegistry(),
    tools: deps.tools ?? createDefaultToolRegistry(),
    replies: createWorkTracker(),
  } as Engine;
  engine.steps = createInProcessExecutor((job) => executeStep(engine, job), deps.logger);
  return engine;
}

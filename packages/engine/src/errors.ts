// Errors the engine raises that a person can act on. The API renders them in the contract's shape (§1)
// by their code, so this package needs no knowledge of HTTP or tRPC.

export type EngineErrorCode =
  | "AGENT_BUSY"
  | "BUDGET_EXCEEDED"
  | "MODEL_PROVIDER_ERROR"
  | "CONFLICT"
  | "RESOURCE_NOT_FOUND"
  | "VALIDATION_ERROR";

export class EngineError extends Error {
  constructor(
    readonly code: EngineErrorCode,
    message: string,
    readonly details?: unknown,
  ) {
    super(message);
    this.name = "EngineError";
  }
}

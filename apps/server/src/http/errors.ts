import type { ContractError } from "@crewdeck/api";

export type ErrorCode = ContractError["code"];

/** A JSON response in the contract's error shape. */
export const errorResponse = (
  status: number,
  code: ErrorCode,
  message: string,
  requestId: string,
  details?: unknown,
): Response =>
  Response.json(
    { error: { code, message, ...(details === undefined ? {} : { details }), requestId } },
    { status, headers: { "X-Request-Id": requestId } },
  );

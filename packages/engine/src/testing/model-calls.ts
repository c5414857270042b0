// What the provider tests share: a real image to send, and the ModelCallError a call that should fail ends in.
import { ModelCallError } from "../providers/types";

/** A real 1×1 PNG, base64. */
export const ONE_PIXEL_PNG_BASE64 =
  "iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mNkYPhfDwAChwGA60e6kgAAAABJRU5ErkJggg==";

/** The ModelCallError the call fails with; throws when it succeeds or fails otherwise. */
export async function modelCallFailure(promise: Promise<unknown>): Promise<ModelCallError> {
  const error = await promise.then(
    () => {
      throw new Error("expected the call to fail");
    },
    (e: unknown) => e,
  );
  if (!(error instanceof ModelCallError)) {
    throw new Error(`expected a ModelCallError, got ${String(error)}`, { cause: error });
  }
  return error;
}

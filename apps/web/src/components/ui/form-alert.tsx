// What a schema-checked form says about the server's answer: its field errors under their fields (until the
// next submit checks the form again), anything else — or a schema error on no field — in one alert.
import { useEffect } from "react";
import type { FieldValues, UseFormReturn } from "react-hook-form";
import { describeError } from "../../lib/errors";
import { type FieldOf, serverErrors } from "../../lib/schema-form";

/**
 * Places the failed request's field errors on the form and returns the alert's words, if any. Keep
 * `fieldOf` stable (declared outside the component): the server's errors are placed again when it changes.
 */
export function useFormAlert<V extends FieldValues, C, O>(
  form: UseFormReturn<V, C, O>,
  fieldOf: FieldOf<V>,
  error: unknown,
): string | null {
  const { setError } = form;
  useEffect(() => {
    for (const { name, message } of serverErrors(error, fieldOf).placed) {
      setError(name, { type: "server", message });
    }
  }, [error, fieldOf, setError]);
  const { placed, unplaced } = serverErrors(error, fieldOf);
  const serverAlert = error && (placed.length === 0 || unplaced.length > 0) ? describeError(error) : null;
  return serverAlert ?? form.formState.errors.root?.message ?? null;
}

export function FormAlert({ message }: { message: string | null }) {
  if (!message) return null;
  return (
    <p role="alert" className="rounded-md bg-danger-bg px-3 py-2 text-sm text-danger">
      {message}
    </p>
  );
}

// Forms checked by the server's own input schemas (`@crewdeck/api/schemas`): a form's values become the
// API input, the schema checks it, and its errors name the API's fields — the same names the server's
// field errors use — so one mapping places both next to the input they are about.
import type { FieldErrors, FieldValues, Path, Resolver } from "react-hook-form";
import type { z } from "zod";
import { type FieldError, fieldErrors } from "./errors";

export type Checked<T> = { ok: true; value: T } | { ok: false; errors: FieldError[] };

/** Where an error about an API field is shown: on a form field, or (null) in the form's alert. */
export type FieldOf<V extends FieldValues> = (apiField: string) => Path<V> | null;

/** Checks an API input with the server's schema; the errors say which API field to fix, in words. */
export function checkInput<S extends z.ZodType>(schema: S, input: unknown): Checked<z.output<S>> {
  const result = schema.safeParse(input);
  if (result.success) return { ok: true, value: result.data };
  return {
    ok: false,
    errors: result.error.issues.map((issue) => ({ field: issue.path.join("."), message: inWords(issue) })),
  };
}

/** Zod's own messages ("Too big: expected string to have <=100 characters") start like this; ours don't. */
const ZOD_DEFAULT = /^(Too big|Too small|Invalid)/;

/**
 * An issue said the way a person reads it. Messages a schema wrote itself are kept; zod's defaults, which
 * speak of types and operators, are put in words.
 */
export function inWords(issue: z.core.$ZodIssue): string {
  if (!ZOD_DEFAULT.test(issue.message)) return issue.message;
  const chars = (n: number | bigint) => `${n} ${Number(n) === 1 ? "character" : "characters"}`;
  switch (issue.code) {
    case "too_big":
      if (issue.origin === "string") return `Use at most ${chars(issue.maximum)}.`;
      if (issue.origin === "array" || issue.origin === "set") return `Choose at most ${issue.maximum}.`;
      return `Use a number no larger than ${issue.maximum}.`;
    case "too_small":
      if (issue.origin === "string")
        return Number(issue.minimum) <= 1 ? "This is required." : `Use at least ${chars(issue.minimum)}.`;
      if (issue.origin === "array" || issue.origin === "set")
        return Number(issue.minimum) <= 1 ? "Choose at least one." : `Choose at least ${issue.minimum}.`;
      return `Use a number no smaller than ${issue.minimum}.`;
    case "invalid_format":
      if (issue.format === "url") return "Enter a full address, such as https://example.com.";
      if (issue.format === "email") return "Enter an email address, such as ada@example.com.";
      return "This is not in the expected form.";
    case "invalid_value":
      return "Choose one of the options offered.";
    case "invalid_type":
      return issue.expected === "number" ? "Enter a number." : "This is required.";
    default:
      return "Check this value.";
  }
}

/** Errors with the same API field names shown on the form fields that hold them; the rest for the alert. */
export function placeErrors<V extends FieldValues>(errors: readonly FieldError[], fieldOf: FieldOf<V>) {
  const placed: { name: Path<V>; message: string }[] = [];
  const unplaced: FieldError[] = [];
  for (const error of errors) {
    const name = fieldOf(error.field);
    if (name === null) unplaced.push(error);
    else if (!placed.some((p) => p.name === name)) placed.push({ name, message: error.message });
  }
  return { placed, unplaced };
}

/** The form fields that carry the API field of the same name; errors about any other go to the alert. */
export const sameNames =
  <V extends FieldValues>(...names: Path<V>[]): FieldOf<V> =>
  (field) =>
    names.find((name) => name === field) ?? null;

/** The server's field errors of a failed request, placed like the schema's. */
export const serverErrors = <V extends FieldValues>(error: unknown, fieldOf: FieldOf<V>) =>
  placeErrors(fieldErrors(error), fieldOf);

/**
 * A react-hook-form resolver: `check` turns the values into the API input and checks it with the server's
 * schema; submitting hands on the checked input. Errors on no field of the form land on `root`. `check`
 * may be async, so forms in the app's shell can load the schemas on first use instead of with the shell.
 */
export function inputResolver<V extends FieldValues, Out>(
  check: (values: V) => Checked<Out> | Promise<Checked<Out>>,
  fieldOf: FieldOf<V>,
): Resolver<V, unknown, Out> {
  return async (values) => {
    const checked = await check(values);
    if (checked.ok) return { values: checked.value, errors: {} };
    const { placed, unplaced } = placeErrors(checked.errors, fieldOf);
    const errors: Record<string, { type: string; message: string }> = {};
    for (const { name, message } of placed) errors[name] = { type: "schema", message };
    if (unplaced.length > 0) {
      errors.root = { type: "schema", message: unplaced.map((e) => e.message).join(" · ") };
    }
    return { values: {}, errors: errors as FieldErrors<V> };
  };
}

/** A number typed into a text or number input; blank is no number (NaN), never 0. */
export const typedNumber = (text: string): number => (text.trim() === "" ? Number.NaN : Number(text));

/** The schemas, loaded when first needed: for forms in the app's shell, which every screen loads. */
export const loadSchemas = () => import("@crewdeck/api/schemas");

// One check on the raw input of every procedure, before its own schema runs: what no field may hold.
// A NUL character (U+0000) is cut off by C-string consumers on the way out (SQLite's text functions, logs,
// git, the model's tools), so a stored value would read back shorter than it was written; and input nested
// without bound would exhaust the stack of whatever walks it recursively later (zod, JSON fingerprints).
import { type FieldError, invalid } from "../errors";

/** No request body of ours nests anywhere near this deep; preferences have their own, tighter bound. */
export const MAX_INPUT_DEPTH = 32;
const NUL = "\u0000";
const NUL_MESSAGE = "Must not contain NUL (U+0000) characters";
const MAX_REPORTED = 20;

const isPlainContainer = (value: object) => {
  if (Array.isArray(value)) return true;
  const proto = Object.getPrototypeOf(value);
  return proto === Object.prototype || proto === null;
};

/**
 * Throws 400 `VALIDATION_ERROR` naming each field (dotted path, as zod's errors do) whose text holds a NUL,
 * or the field where the input nests deeper than `MAX_INPUT_DEPTH`. Walks with its own stack, so no depth
 * of input can overflow the call stack here.
 */
export function assertAcceptableInput(raw: unknown): void {
  const stack: Array<{ value: unknown; path: string; depth: number }> = [{ value: raw, path: "", depth: 0 }];
  const fields: FieldError[] = [];
  while (stack.length > 0 && fields.length < MAX_REPORTED) {
    const { value, path, depth } = stack.pop() as { value: unknown; path: string; depth: number };
    if (typeof value === "string") {
      if (value.includes(NUL)) fields.push({ field: path || "(body)", message: NUL_MESSAGE });
      continue;
    }
    if (value === null || typeof value !== "object" || !isPlainContainer(value)) continue;
    if (depth >= MAX_INPUT_DEPTH) {
      throw invalid(`The input nests deeper than ${MAX_INPUT_DEPTH} levels`, [
        { field: path || "(body)", message: `Nested deeper than ${MAX_INPUT_DEPTH} levels` },
      ]);
    }
    for (const [key, child] of Object.entries(value)) {
      const childPath = path ? `${path}.${key}` : key;
      if (key.includes(NUL)) fields.push({ field: childPath, message: NUL_MESSAGE });
      else stack.push({ value: child, path: childPath, depth: depth + 1 });
    }
  }
  if (fields.length > 0) {
    fields.sort((a, b) => (a.field < b.field ? -1 : a.field > b.field ? 1 : 0));
    throw invalid("Text must not contain NUL (U+0000) characters", fields);
  }
}

// Zod issues as short lines a model (or a person) can act on: "files[0].change: Invalid option: …".
import type { z } from "zod";

/** `["files", 0, "change"]` → `files[0].change`; the root is `(root)`. */
export function formatIssuePath(path: readonly PropertyKey[]): string {
  let out = "";
  for (const part of path) {
    if (typeof part === "number") out += `[${part}]`;
    else out += out === "" ? String(part) : `.${String(part)}`;
  }
  return out === "" ? "(root)" : out;
}

export function describeZodIssues(error: z.ZodError): string[] {
  return error.issues.map((issue) => `${formatIssuePath(issue.path)}: ${issue.message}`);
}

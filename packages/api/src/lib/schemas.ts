// Schemas shared by every domain's procedures.
import { DEFAULT_PAGE_LIMIT, MAX_PAGE_LIMIT } from "@crewdeck/domain";
import { z } from "zod";

export const zId = z.string().min(1).max(64);
export const zIsoDate = z.iso.datetime();

export const zPageInput = z.object({
  page: z.coerce.number().int().min(1).default(1),
  limit: z.coerce.number().int().min(1).max(MAX_PAGE_LIMIT).default(DEFAULT_PAGE_LIMIT),
});

export const zPage = <T extends z.ZodType>(item: T) =>
  z.object({
    items: z.array(item),
    total: z.number().int(),
    page: z.number().int(),
    pages: z.number().int(),
  });

/**
 * A JSON boolean for request bodies. trpc-to-openapi turns every plain `z.boolean()` input into a coercing
 * one (so `"false"` or `"no"` would become `true`); behind a pipe it stays strict.
 */
export const zBool = z.boolean().pipe(z.boolean());

/**
 * A JSON number for request bodies, strict for the same reason as `zBool` (trpc-to-openapi would turn
 * `"5"` into 5). Pass the refined number (`zNumber(z.number().gt(0))`); its bounds appear in the document.
 */
export const zNumber = (number: z.ZodNumber = z.number()) => number.pipe(z.number());

/** Query-string booleans arrive as text. */
export const zQueryBool = z.preprocess((v) => (v === "true" ? true : v === "false" ? false : v), z.boolean());

export const zOk = z.object({ success: z.literal(true) });
export const OK = { success: true } as const;

export { iso, isoOrNull } from "@crewdeck/domain";

/** Depth of nested objects and arrays (`{}` is 1, a scalar 0), walked with its own stack. */
export function jsonDepth(value: unknown): number {
  let deepest = 0;
  const stack: Array<{ value: unknown; depth: number }> = [{ value, depth: 0 }];
  while (stack.length > 0) {
    const next = stack.pop() as { value: unknown; depth: number };
    if (next.value === null || typeof next.value !== "object") continue;
    deepest = Math.max(deepest, next.depth + 1);
    for (const child of Object.values(next.value)) stack.push({ value: child, depth: next.depth + 1 });
  }
  return deepest;
}

export const jsonBytes = (value: unknown) => new TextEncoder().encode(JSON.stringify(value) ?? "").length;

/**
 * A free-form JSON object the client keeps on the server (profile preferences), bounded in depth and in
 * serialized size so it cannot grow without limit or nest past what the readers of it walk.
 */
export const zBoundedJsonObject = (bounds: { maxDepth: number; maxBytes: number }) =>
  z.record(z.string(), z.unknown()).superRefine((value, ctx) => {
    if (jsonDepth(value) > bounds.maxDepth) {
      ctx.addIssue({ code: "custom", message: `Nested deeper than ${bounds.maxDepth} levels` });
    } else if (jsonBytes(value) > bounds.maxBytes) {
      ctx.addIssue({ code: "custom", message: `Larger than ${bounds.maxBytes} bytes as JSON` });
    }
  });

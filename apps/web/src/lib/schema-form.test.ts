import { describe, expect, it } from "vitest";
import { z } from "zod";
import { checkInput } from "./schema-form";

const messages = (schema: z.ZodType, input: unknown) => {
  const checked = checkInput(schema, input);
  return checked.ok ? [] : checked.errors.map((e) => e.message);
};

describe("checkInput's messages", () => {
  it("says zod's defaults in words", () => {
    expect(messages(z.object({ name: z.string().max(100) }), { name: "x".repeat(101) })).toEqual([
      "Use at most 100 characters.",
    ]);
    expect(messages(z.object({ name: z.string().min(1) }), { name: "" })).toEqual(["This is required."]);
    expect(messages(z.object({ n: z.number().max(2) }), { n: 3 })).toEqual([
      "Use a number no larger than 2.",
    ]);
    expect(messages(z.object({ u: z.url() }), { u: "nope" })).toEqual([
      "Enter a full address, such as https://example.com.",
    ]);
    expect(messages(z.object({ e: z.enum(["a", "b"]) }), { e: "c" })).toEqual([
      "Choose one of the options offered.",
    ]);
  });

  it("keeps a message the schema wrote itself", () => {
    expect(messages(z.object({ q: z.string().min(1, "Type something to search for") }), { q: "" })).toEqual([
      "Type something to search for",
    ]);
  });
});

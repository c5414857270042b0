// The Idempotency-Key store keeps a procedure's response unless the procedure says it holds a secret
// (`meta.secretResponse`). This walks every procedure's output schema, so a new procedure that answers a
// token, a key or a TOTP seed cannot forget the flag and have its secret stored for 24 hours.
import { describe, expect, it } from "vitest";
import { z } from "zod";
import { appRouter } from "../root";
import type { ProcedureMeta } from "../trpc";

/**
 * Field names that carry credentials in our responses (`access_token`, `temp_token`, `key`, `backupCodes`,
 * an invitation's `link`, whose token admits whoever holds it…).
 */
const SECRET_FIELD =
  /(^|_)token$|^key$|secret|password|private_?key|credential|totp(Uri|Secret|Seed)?$|backupCodes|^link$/i;

type Procedure = { _def: { type: string; output?: z.ZodType; meta?: ProcedureMeta } };

/** Property names anywhere in a JSON Schema, walked with a stack. */
function propertyNames(schema: unknown): string[] {
  const names: string[] = [];
  const stack = [schema];
  while (stack.length > 0) {
    const node = stack.pop();
    if (!node || typeof node !== "object") continue;
    const properties = (node as { properties?: Record<string, unknown> }).properties;
    if (properties) names.push(...Object.keys(properties));
    stack.push(...Object.values(node));
  }
  return names;
}

const procedures = Object.entries(appRouter._def.procedures as unknown as Record<string, Procedure>);

describe("procedures whose response holds a secret", () => {
  const secretBearing = procedures
    .filter(([, p]) => p._def.output)
    .map(([path, p]) => ({
      path,
      fields: propertyNames(z.toJSONSchema(p._def.output as z.ZodType, { unrepresentable: "any" })).filter(
        (name) => SECRET_FIELD.test(name),
      ),
      flagged: p._def.meta?.secretResponse === true,
    }))
    .filter((p) => p.fields.length > 0);

  it("are flagged secretResponse, so the Idempotency-Key store never keeps their response", () => {
    const unflagged = secretBearing
      .filter((p) => !p.flagged)
      .map((p) => `${p.path} (${p.fields.join(", ")})`);
    expect(unflagged).toEqual([]);
  });

  it("include the token responses, 2FA enrolment and API key creation", () => {
    expect(secretBearing.map((p) => p.path).sort()).toEqual(
      expect.arrayContaining([
        "apiKeys.create",
        "auth.disableTwoFactor",
        "auth.enableTwoFactor",
        "auth.login",
        "auth.refresh",
        "auth.register",
        "auth.verifyTwoFactor",
        "invitations.create",
        "projects.members.add",
      ]),
    );
  });
});

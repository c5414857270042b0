// The logger Octokit writes through: no token survives it, whatever shape the message takes.
import { describe, expect, it } from "vitest";
import { createRedactingLogger, redact } from "./logger";

describe("redact", () => {
  it("removes GitHub tokens, Authorization values, token fields and private keys", () => {
    const token = "gho_0123456789abcdefghijABCDEFGHIJ";
    expect(redact(`GET /user with ${token}`)).toBe("GET /user with [redacted]");
    expect(redact("authorization: token abcdefgh12345678")).toBe("authorization: token [redacted]");
    expect(redact('{"access_token":"xyz-123","scope":"repo"}')).toBe(
      '{"access_token":"[redacted]","scope":"repo"}',
    );
    expect(redact("-----BEGIN RSA PRIVATE KEY-----\nMIIE\n-----END RSA PRIVATE KEY-----")).toBe("[redacted]");
    expect(redact("custom secret s3cr3t-value here", ["s3cr3t-value"])).toBe("custom secret [redacted] here");
  });

  it("redacts the message and its details before they reach the sink", () => {
    const seen: string[] = [];
    const sink = {
      debug: () => {},
      info: () => {},
      warn: () => {},
      error: (m: string, meta?: unknown) => void seen.push(m, JSON.stringify(meta)),
    };
    const log = createRedactingLogger(sink, () => ["plain-token-value"]);
    log.error("failed with plain-token-value", {
      headers: { authorization: "bearer ghs_abcdefghijklmnopqrstuvwx" },
    });
    expect(seen.join(" ")).not.toMatch(/plain-token-value|ghs_/);
  });
});

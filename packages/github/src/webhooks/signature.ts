// GitHub signs each delivery with HMAC-SHA256 of the exact bytes it sent, keyed by the webhook's secret.
// The check runs over the raw body (never a re-serialised parse of it) and compares in constant time.
import { createHmac, timingSafeEqual } from "node:crypto";

const PREFIX = "sha256=";

/** True when `header` (`X-Hub-Signature-256`) is the signature of `body` under `secret`. */
export function verifyWebhookSignature(
  secret: string,
  body: Uint8Array,
  header: string | null | undefined,
): boolean {
  if (!header?.startsWith(PREFIX)) return false;
  const given = Buffer.from(header.slice(PREFIX.length), "hex");
  const expected = createHmac("sha256", secret).update(body).digest();
  // A malformed hex string decodes short; the length check leaks only that, never the signature.
  return given.length === expected.length && timingSafeEqual(given, expected);
}

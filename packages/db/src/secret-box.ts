// Encrypts secrets kept in the database (model provider keys, GitHub tokens and app credentials) with a key
// derived from the server's secret, so a copy of the database alone does not reveal them. `purpose` keeps
// each kind under its own key.
import { createCipheriv, createDecipheriv, hkdfSync, randomBytes } from "node:crypto";

const VERSION = "v1";
const IV_BYTES = 12;
const TAG_BYTES = 16;
// A fixed salt is fine here: the input is already a high-entropy secret, and `purpose` separates keys.
const SALT = "crewdeck/secret-box";

export class SecretBoxError extends Error {
  constructor(message: string) {
    super(message);
    this.name = "SecretBoxError";
  }
}

function deriveKey(serverSecret: string, purpose: string): Buffer {
  if (!serverSecret) throw new SecretBoxError("The server secret is empty");
  return Buffer.from(hkdfSync("sha256", serverSecret, SALT, `${VERSION}:${purpose}`, 32));
}

/** AES-256-GCM; the result is `v1.<iv>.<tag>.<data>`, each part base64url. */
export function sealSecret(serverSecret: string, plaintext: string, purpose = "provider-keys"): string {
  const iv = randomBytes(IV_BYTES);
  const cipher = createCipheriv("aes-256-gcm", deriveKey(serverSecret, purpose), iv);
  const data = Buffer.concat([cipher.update(plaintext, "utf8"), cipher.final()]);
  const tag = cipher.getAuthTag();
  return [VERSION, iv, tag, data]
    .map((part) => (typeof part === "string" ? part : part.toString("base64url")))
    .join(".");
}

/** The plaintext of `sealSecret`'s output; throws `SecretBoxError` when it was sealed with another secret or altered. */
export function openSecret(serverSecret: string, sealed: string, purpose = "provider-keys"): string {
  const [version, iv, tag, data, ...rest] = sealed.split(".");
  if (version !== VERSION || iv === undefined || tag === undefined || data === undefined || rest.length > 0) {
    throw new SecretBoxError("Not a sealed secret of a known version");
  }
  const ivBytes = Buffer.from(iv, "base64url");
  const tagBytes = Buffer.from(tag, "base64url");
  if (ivBytes.length !== IV_BYTES || tagBytes.length !== TAG_BYTES) {
    throw new SecretBoxError("The sealed secret is malformed");
  }
  try {
    const decipher = createDecipheriv("aes-256-gcm", deriveKey(serverSecret, purpose), ivBytes);
    decipher.setAuthTag(tagBytes);
    return Buffer.concat([decipher.update(Buffer.from(data, "base64url")), decipher.final()]).toString(
      "utf8",
    );
  } catch {
    throw new SecretBoxError("The sealed secret cannot be opened with this server secret");
  }
}

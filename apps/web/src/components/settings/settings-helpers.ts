// Small pieces of the settings screens that are easier to trust with a test than by eye.

/** The base32 secret inside an otpauth:// URI, for typing into an authenticator by hand. */
export function totpSecret(totpUri: string): string | null {
  try {
    return new URL(totpUri).searchParams.get("secret");
  } catch {
    return null;
  }
}

/** A secret read in groups of four ("JBSW Y3DP …") is easier to type without losing one's place. */
export const groupSecret = (secret: string): string => secret.match(/.{1,4}/g)?.join(" ") ?? secret;

/** The file name a download's Content-Disposition suggests, or `fallback`. */
export function filenameFromDisposition(header: string | null, fallback: string): string {
  if (!header) return fallback;
  const encoded = /filename\*\s*=\s*(?:UTF-8|utf-8)''([^;]+)/.exec(header)?.[1];
  if (encoded) {
    try {
      return decodeURIComponent(encoded.trim());
    } catch {
      // Badly encoded: try the plain filename below.
    }
  }
  const plain = /filename\s*=\s*"([^"]+)"|filename\s*=\s*([^;]+)/.exec(header);
  return (plain?.[1] ?? plain?.[2])?.trim() || fallback;
}

/** "never", or the day a key expires. */
export function expiryLabel(expiresAt: string | null, now = Date.now()): string {
  if (!expiresAt) return "Never";
  const at = new Date(expiresAt);
  const day = at.toLocaleDateString(undefined, { dateStyle: "medium" });
  return at.getTime() <= now ? `Expired ${day}` : day;
}

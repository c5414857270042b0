import { UAParser } from "ua-parser-js";

/** A short human label for a session's device, e.g. "Firefox on Linux"; the raw user agent is kept beside it. */
export function describeDevice(userAgent: string | null | undefined): string {
  if (!userAgent) return "Unknown device";
  const { browser, os } = new UAParser(userAgent).getResult();
  const parts = [browser.name, os.name && `on ${os.name}`].filter(Boolean);
  return parts.length > 0 ? parts.join(" ") : userAgent.slice(0, 60);
}

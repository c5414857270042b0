// Cutting long text for prompts and tool results without hiding that something was cut.

/**
 * Keeps the start and the end of `text` (the end often holds the conclusion or the error) and says how
 * much was left out in between. Returns `text` unchanged when it fits.
 */
export function truncateMiddle(text: string, maxChars: number): string {
  if (text.length <= maxChars) return text;
  const omitted = text.length - maxChars;
  const head = Math.ceil(maxChars * 0.7);
  const tail = maxChars - head;
  return `${text.slice(0, head)}\n\n[… ${omitted} characters omitted …]\n\n${tail > 0 ? text.slice(-tail) : ""}`;
}

/** Keeps the start of `text` and appends a note naming how much was shown. */
export function truncateEnd(text: string, maxChars: number, what = "text"): string {
  if (text.length <= maxChars) return text;
  return `${text.slice(0, maxChars)}\n\n[${what} truncated: showed the first ${maxChars} of ${text.length} characters]`;
}

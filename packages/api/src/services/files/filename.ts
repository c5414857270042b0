// The client's filename is shown back to people and put in download headers, never used as a path.

const MAX_CHARS = 255;
/** An extension this long or shorter survives truncation, so `report….pdf` still opens as a PDF. */
const MAX_KEPT_EXTENSION = 16;
const FALLBACK = "file";

// Control characters would break headers and logs; bidi overrides can disguise `evil‮txt.exe` as `evilexe.txt`.
const UNSAFE = /[\p{Cc}\u202a-\u202e\u2066-\u2069]/gu;

/** The basename of what the client sent (either separator), cleaned up and at most 255 characters. */
export function safeFilename(raw: string | null | undefined): string {
  const base = (raw ?? "").split(/[/\\]/).pop() ?? "";
  const name = base.replace(UNSAFE, "").trim();
  if (name === "" || name === "." || name === "..") return FALLBACK;
  const chars = Array.from(name);
  if (chars.length <= MAX_CHARS) return name;
  const dot = name.lastIndexOf(".");
  const extension = dot > 0 ? Array.from(name.slice(dot)) : [];
  const kept = extension.length <= MAX_KEPT_EXTENSION ? extension : [];
  return [...chars.slice(0, MAX_CHARS - kept.length), ...kept].join("");
}

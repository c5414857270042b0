// The agent's rules file (CLAUDE.md, .cursorrules, …) as a system-prompt section.
import { truncateEnd } from "../lib/truncate-text";

/** A rules file is the project's, not ours to cut short lightly; this only stops a runaway file. */
export const MAX_RULES_CHARS = 30_000;
/** Reading more of the file than this is pointless: the prompt keeps MAX_RULES_CHARS of it. */
export const MAX_RULES_BYTES = MAX_RULES_CHARS * 4;

/** The section, or null when there are no rules. `note` says how the rules relate to the rest of the prompt. */
export function rulesSection(rules: string | null | undefined, note: string): string | null {
  const text = rules?.trim();
  if (!text) return null;
  return [
    "## Project rules",
    note,
    "<rules>",
    truncateEnd(text, MAX_RULES_CHARS, "rules file"),
    "</rules>",
  ].join("\n");
}

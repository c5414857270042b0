// Free-text search for list filters: the user's text is matched literally, case-insensitively.
import { type Column, type SQL, sql } from "drizzle-orm";

/**
 * `column` contains `text`. `%`, `_` and `\` in the text are the characters themselves, not wildcards;
 * SQLite's LIKE has no escape character unless one is named, and it already ignores ASCII case.
 */
export function containsText(column: Column, text: string): SQL {
  const pattern = `%${text.replace(/[\\%_]/g, (c) => `\\${c}`)}%`;
  return sql`${column} like ${pattern} escape '\\'`;
}

// What an update actually changes. Drizzle refuses an UPDATE with an empty SET ("No values to set"), so a
// PATCH of `{}` used to be a 500; every update service takes its values from here and skips the UPDATE when
// there are none (the type makes the empty case impossible to pass to `.set()` unnoticed).

/** The fields of `patch` that are set (`undefined` means "leave as is"), or null when there is none. */
export function changedFields<T extends object>(patch: T): Partial<T> | null {
  const entries = Object.entries(patch).filter(([, value]) => value !== undefined);
  return entries.length > 0 ? (Object.fromEntries(entries) as Partial<T>) : null;
}

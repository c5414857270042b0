/** Joins class names, skipping the falsy ones (`cn("a", busy && "b")`). */
export const cn = (...names: (string | false | null | undefined)[]): string =>
  names.filter(Boolean).join(" ");

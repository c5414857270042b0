// How many items a page of a list holds when the caller does not say, and at most.
export const DEFAULT_PAGE_LIMIT = 20;
export const MAX_PAGE_LIMIT = 100;

// Offset pagination as the contract serves it: `?page&limit` → `{ items, total, page, pages }`.
export { DEFAULT_PAGE_LIMIT, MAX_PAGE_LIMIT } from "@crewdeck/domain";

export type PageRequest = { page: number; limit: number };
export type Page<T> = { items: T[]; total: number; page: number; pages: number };

export const pageOffset = ({ page, limit }: PageRequest): number => (page - 1) * limit;

export const toPage = <T>(items: T[], total: number, { page, limit }: PageRequest): Page<T> => ({
  items,
  total,
  page,
  pages: Math.ceil(total / limit),
});

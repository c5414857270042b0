// The site administrator's view of accounts: who they are, how they sign in, whether they are banned.
import { type Database, type PageRequest, pageOffset, schema, toPage } from "@crewdeck/db";
import { count, desc, eq, inArray, or } from "drizzle-orm";
import { notFound } from "../../errors";
import { iso, isoOrNull } from "../../lib/schemas";
import { containsText } from "../../lib/search";
import type { UserRow } from "../../lib/viewer";

const u = schema.users;

/** A ban whose expiry has passed no longer counts (better-auth lifts it at the next sign-in). */
export const isBanned = (user: Pick<UserRow, "banned" | "banExpires">): boolean =>
  !!user.banned && (!user.banExpires || user.banExpires.getTime() > Date.now());

const toAdminUserItem = (user: UserRow, projectCount: number) => {
  const banned = isBanned(user);
  return {
    id: user.id,
    name: user.name,
    username: user.displayUsername ?? user.username ?? null,
    email: user.email,
    role: user.role === "admin" ? ("admin" as const) : ("user" as const),
    banned,
    banReason: banned ? (user.banReason ?? null) : null,
    banExpires: banned ? isoOrNull(user.banExpires) : null,
    emailVerified: user.emailVerified,
    twoFactorEnabled: user.twoFactorEnabled ?? false,
    createdAt: iso(user.createdAt),
    lastLoginAt: isoOrNull(user.lastLoginAt),
    loginCount: user.loginCount,
    projectCount,
  };
};

/** Projects each user is a member of, in any role. */
async function projectCounts(db: Database, userIds: string[]): Promise<Map<string, number>> {
  if (userIds.length === 0) return new Map();
  const rows = await db
    .select({ userId: schema.projectMembers.userId, n: count() })
    .from(schema.projectMembers)
    .where(inArray(schema.projectMembers.userId, userIds))
    .groupBy(schema.projectMembers.userId);
  return new Map(rows.map((r) => [r.userId, r.n]));
}

export async function listUsers(db: Database, filters: { search?: string | undefined }, page: PageRequest) {
  const { search } = filters;
  const where = search
    ? or(...[u.name, u.email, u.username, u.displayUsername].map((c) => containsText(c, search)))
    : undefined;
  const [rows, [total]] = await Promise.all([
    db
      .select()
      .from(u)
      .where(where)
      .orderBy(desc(u.createdAt), desc(u.id))
      .limit(page.limit)
      .offset(pageOffset(page)),
    db.select({ n: count() }).from(u).where(where),
  ]);
  const counts = await projectCounts(
    db,
    rows.map((r) => r.id),
  );
  const items = rows.map((r) => toAdminUserItem(r, counts.get(r.id) ?? 0));
  return toPage(items, total?.n ?? 0, page);
}

export async function findUserOrThrow(db: Database, userId: string): Promise<UserRow> {
  const user = await db.query.users.findFirst({ where: eq(u.id, userId) });
  if (!user) throw notFound("User");
  return user;
}

export async function getUserItem(db: Database, userId: string) {
  const user = await findUserOrThrow(db, userId);
  const counts = await projectCounts(db, [userId]);
  return toAdminUserItem(user, counts.get(userId) ?? 0);
}

// The public view of an account: never the password, tokens or 2FA secrets.
import type { schema } from "@crewdeck/db";
import { z } from "zod";
import { iso, isoOrNull, zIsoDate } from "../../lib/schemas";

type UserRow = typeof schema.users.$inferSelect;

export const zUser = z.object({
  id: z.string(),
  email: z.string(),
  username: z.string().nullable(),
  name: z.string(),
  avatarUrl: z.string().nullable(),
  title: z.string().nullable(),
  role: z.enum(["user", "admin"]),
  twoFactorEnabled: z.boolean(),
  preferences: z.record(z.string(), z.unknown()),
  createdAt: zIsoDate,
});
export type UserDto = z.infer<typeof zUser>;

export const toUserDto = (user: UserRow): UserDto => ({
  id: user.id,
  email: user.email,
  username: user.displayUsername ?? user.username ?? null,
  name: user.name,
  avatarUrl: user.image ?? null,
  title: user.title ?? null,
  role: user.role === "admin" ? "admin" : "user",
  twoFactorEnabled: user.twoFactorEnabled ?? false,
  preferences: user.preferences ?? {},
  createdAt: iso(user.createdAt),
});

export const zUserActivity = z.object({ lastLoginAt: zIsoDate.nullable(), loginCount: z.number().int() });
export const toUserActivity = (user: UserRow) => ({
  lastLoginAt: isoOrNull(user.lastLoginAt),
  loginCount: user.loginCount,
});

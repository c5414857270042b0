// The caller's own account: profile, GitHub connection summary and activity.
import { schema } from "@crewdeck/db";
import { eq } from "drizzle-orm";
import type { ApiDeps } from "../../context";
import { conflict } from "../../errors";
import { iso, isoOrNull } from "../../lib/schemas";
import type { UserRow } from "../../lib/viewer";
import { toUserActivity, toUserDto } from "./user-dto";

export async function getProfile({ db }: ApiDeps, user: UserRow) {
  const github = await db.query.githubConnections.findFirst({
    where: eq(schema.githubConnections.userId, user.id),
  });
  return {
    ...toUserDto(user),
    github: github
      ? {
          connected: true as const,
          username: github.username,
          connectedAt: iso(github.connectedAt),
          lastSyncAt: isoOrNull(github.lastSyncAt),
        }
      : null,
    activity: toUserActivity(user),
  };
}

export type ProfileUpdate = {
  name?: string | undefined;
  username?: string | undefined;
  avatarUrl?: string | null | undefined;
  title?: string | null | undefined;
  preferences?: Record<string, unknown> | undefined;
};

export async function updateProfile(deps: ApiDeps, user: UserRow, input: ProfileUpdate) {
  const { db } = deps;
  if (input.username !== undefined) {
    const taken = await db.query.users.findFirst({
      where: eq(schema.users.username, input.username.toLowerCase()),
    });
    if (taken && taken.id !== user.id) throw conflict("Username is already taken");
  }
  const [updated] = await db
    .update(schema.users)
    .set({
      ...(input.name !== undefined && { name: input.name }),
      ...(input.username !== undefined && {
        username: input.username.toLowerCase(),
        displayUsername: input.username,
      }),
      ...(input.avatarUrl !== undefined && { image: input.avatarUrl }),
      ...(input.title !== undefined && { title: input.title }),
      ...(input.preferences !== undefined && { preferences: { ...user.preferences, ...input.preferences } }),
    })
    .where(eq(schema.users.id, user.id))
    .returning();
  if (!updated) throw new Error(`user ${user.id} vanished during update`);
  return getProfile(deps, updated);
}

// The caller's own account: profile, GitHub connection summary and activity.
import { schema } from "@crewdeck/db";
import { PREFERENCES_MAX_BYTES } from "@crewdeck/domain";
import { eq } from "drizzle-orm";
import type { ApiDeps } from "../../context";
import { conflict, invalid } from "../../errors";
import { changedFields } from "../../lib/changes";
import { iso, isoOrNull, jsonBytes } from "../../lib/schemas";
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
  const preferences = input.preferences && mergedPreferences(user, input.preferences);
  const values = changedFields({
    name: input.name,
    ...(input.username !== undefined && {
      username: input.username.toLowerCase(),
      displayUsername: input.username,
    }),
    image: input.avatarUrl,
    title: input.title,
    preferences,
  });
  if (!values) return getProfile(deps, user);
  const [updated] = await db.update(schema.users).set(values).where(eq(schema.users.id, user.id)).returning();
  if (!updated) throw new Error(`user ${user.id} vanished during update`);
  return getProfile(deps, updated);
}

/** A patch merges into what is stored, so the bound applies to the result: many small patches cannot add up. */
function mergedPreferences(user: UserRow, patch: Record<string, unknown>) {
  const merged = { ...user.preferences, ...patch };
  const size = jsonBytes(merged);
  if (size > PREFERENCES_MAX_BYTES) {
    throw invalid(
      `Preferences are limited to ${PREFERENCES_MAX_BYTES} bytes as JSON; with this change they would take ${size}`,
      [{ field: "preferences", message: `Over ${PREFERENCES_MAX_BYTES} bytes once merged` }],
    );
  }
  return merged;
}

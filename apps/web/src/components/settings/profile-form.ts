// The profile form's state and the update it sends: only what changed, with cleared optional fields sent
// as null (that is how the API removes a title or an avatar).
import type { RouterInputs, RouterOutputs } from "../../lib/trpc";

export type Profile = RouterOutputs["auth"]["me"];
export type ProfileForm = { name: string; username: string; title: string; avatarUrl: string };
export type ProfileUpdate = RouterInputs["auth"]["updateMe"];

export const profileFormFrom = (profile: Profile): ProfileForm => ({
  name: profile.name,
  username: profile.username ?? "",
  title: profile.title ?? "",
  avatarUrl: profile.avatarUrl ?? "",
});

export function profileChanges(profile: Profile, form: ProfileForm): ProfileUpdate {
  const changes: ProfileUpdate = {};
  const name = form.name.trim();
  const username = form.username.trim();
  const title = form.title.trim() || null;
  const avatarUrl = form.avatarUrl.trim() || null;
  if (name !== profile.name) changes.name = name;
  // An account without a username keeps none until one is typed; the API cannot clear it.
  if (username && username !== (profile.username ?? "")) changes.username = username;
  if (title !== profile.title) changes.title = title;
  if (avatarUrl !== profile.avatarUrl) changes.avatarUrl = avatarUrl;
  return changes;
}

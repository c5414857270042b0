// How an account reads in the administration list.
import type { RouterOutputs } from "../../lib/trpc";
import type { BadgeTone } from "../ui/badge";

export type AdminUser = RouterOutputs["admin"]["users"]["list"]["items"][number];
export type SiteRole = AdminUser["role"];

/** A ban whose end has passed no longer counts, as on the server. */
export const isBanned = (user: Pick<AdminUser, "banned" | "banExpires">, now = Date.now()): boolean =>
  user.banned && (user.banExpires === null || new Date(user.banExpires).getTime() > now);

export function userStatus(
  user: Pick<AdminUser, "banned" | "banExpires" | "banReason">,
  now = Date.now(),
): { label: string; tone: BadgeTone; detail: string | null } {
  if (!isBanned(user, now)) return { label: "Active", tone: "ok", detail: null };
  const until = user.banExpires
    ? ` until ${new Date(user.banExpires).toLocaleDateString(undefined, { dateStyle: "medium" })}`
    : "";
  return { label: `Banned${until}`, tone: "danger", detail: user.banReason };
}

/** Nobody demotes, bans or deletes themselves from here (the server refuses it too). */
export const canManage = (user: Pick<AdminUser, "id">, myUserId: string | undefined): boolean =>
  user.id !== myUserId;

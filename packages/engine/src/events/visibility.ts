// Who may see which live event (see `EventScope`): the one user it names; otherwise the members of its
// project; otherwise (a system-wide notice) site admins. Checked per event, because a subscription
// outlives the moment it was opened: members come and go while it runs.
import { type Database, schema } from "@crewdeck/db";
import { and, eq } from "drizzle-orm";
import type { AnyBusEvent } from "./types";

export type EventVisibility = {
  canSee(event: AnyBusEvent): Promise<boolean> | boolean;
};

export type EventVisibilityOptions = {
  userId: string;
  isAdmin: boolean;
  /**
   * How long a membership answer is trusted. Both answers expire: someone just added starts receiving,
   * and someone removed stops, within this long.
   */
  cacheMs?: number;
  now?: () => number;
};

type Cached = { member: boolean; checkedAt: number } | { pending: Promise<boolean> };

export function createEventVisibility(db: Database, options: EventVisibilityOptions): EventVisibility {
  const cacheMs = options.cacheMs ?? 2_000;
  const now = options.now ?? Date.now;
  const memberships = new Map<string, Cached>();

  async function lookUp(projectId: string): Promise<boolean> {
    const [row] = await db
      .select({ userId: schema.projectMembers.userId })
      .from(schema.projectMembers)
      .where(
        and(eq(schema.projectMembers.projectId, projectId), eq(schema.projectMembers.userId, options.userId)),
      )
      .limit(1);
    return row !== undefined;
  }

  function isMember(projectId: string): Promise<boolean> | boolean {
    const cached = memberships.get(projectId);
    if (cached && "pending" in cached) return cached.pending;
    if (cached && now() - cached.checkedAt < cacheMs) return cached.member;
    // One query per project however many events arrive while it runs.
    const pending = lookUp(projectId).then(
      (member) => {
        memberships.set(projectId, { member, checkedAt: now() });
        return member;
      },
      (error: unknown) => {
        memberships.delete(projectId);
        throw error;
      },
    );
    memberships.set(projectId, { pending });
    return pending;
  }

  return {
    canSee({ scope }) {
      if (scope.userId) return scope.userId === options.userId;
      if (scope.projectId) return isMember(scope.projectId);
      return options.isAdmin;
    },
  };
}

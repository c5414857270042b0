// Who may see which live event (see `EventScope`): the one user it names; otherwise the members of its
// project; otherwise (a system-wide notice) site admins. Checked per event, because a subscription
// outlives the moment it was opened: members come and go while it runs.
import { type Database, schema } from "@crewdeck/db";
import { eq } from "drizzle-orm";
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

/** A project's members as last read, shared by every stream that checks against this database. */
type ProjectMembers = {
  members: Set<string> | null;
  checkedAt: number;
  pending: Promise<Set<string>> | null;
};

const MAX_PROJECTS = 10_000;
const sharedMembers = new WeakMap<Database, Map<string, ProjectMembers>>();

/**
 * One answer per project for every open stream, whoever holds it: ten thousand streams on a project cost
 * one query per period, not ten thousand at the same moment (their answers would expire together). An
 * answer past half its lifetime is read again in the background, so a steady stream never waits for it.
 */
function projectMembers(db: Database, cacheMs: number, now: () => number) {
  let projects = sharedMembers.get(db);
  if (!projects) {
    projects = new Map();
    sharedMembers.set(db, projects);
  }
  const known = projects;

  function refresh(projectId: string, entry: ProjectMembers): Promise<Set<string>> {
    if (entry.pending) return entry.pending;
    const pending = db
      .select({ userId: schema.projectMembers.userId })
      .from(schema.projectMembers)
      .where(eq(schema.projectMembers.projectId, projectId))
      .then(
        (rows) => {
          const members = new Set(rows.map((row) => row.userId));
          entry.members = members;
          entry.checkedAt = now();
          entry.pending = null;
          return members;
        },
        (error: unknown) => {
          entry.pending = null;
          throw error;
        },
      );
    entry.pending = pending;
    return pending;
  }

  return (projectId: string, userId: string): Promise<boolean> | boolean => {
    let entry = known.get(projectId);
    if (!entry) {
      // Answers for projects nobody streams any more are not kept for ever.
      if (known.size >= MAX_PROJECTS) known.clear();
      entry = { members: null, checkedAt: 0, pending: null };
      known.set(projectId, entry);
    }
    const age = now() - entry.checkedAt;
    if (entry.members && age < cacheMs) {
      if (age >= cacheMs / 2 && !entry.pending) refresh(projectId, entry).catch(() => {});
      return entry.members.has(userId);
    }
    return refresh(projectId, entry).then((members) => members.has(userId));
  };
}

export function createEventVisibility(db: Database, options: EventVisibilityOptions): EventVisibility {
  const isMember = projectMembers(db, options.cacheMs ?? 2_000, options.now ?? Date.now);
  const { userId, isAdmin } = options;
  return {
    canSee({ scope }) {
      if (scope.userId) return scope.userId === userId;
      if (scope.projectId) return isMember(scope.projectId, userId);
      return isAdmin;
    },
  };
}

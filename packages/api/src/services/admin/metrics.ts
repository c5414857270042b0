// Site-wide figures for the administrator's dashboard.
import { type Database, microsToUsd, schema } from "@crewdeck/db";
import { and, count, eq, exists, gte, or, sum } from "drizzle-orm";
import { startOfUtcDay } from "../projects/stats";

const DAY_MS = 24 * 60 * 60_000;

/** Someone is active who signed in, or used a session, in the last 24 hours. */
function activeUsersSince(db: Database, since: Date) {
  const s = schema.sessions;
  const usedSession = db
    .select({ id: s.id })
    .from(s)
    .where(and(eq(s.userId, schema.users.id), gte(s.lastUsedAt, since)));
  return db
    .select({ n: count() })
    .from(schema.users)
    .where(or(gte(schema.users.lastLoginAt, since), exists(usedSession)));
}

export async function getMetrics(db: Database, now = new Date()) {
  const [[users], [projects], [conversations], [messages], [active], [running], [spend]] = await Promise.all([
    db.select({ n: count() }).from(schema.users),
    db.select({ n: count() }).from(schema.projects),
    db.select({ n: count() }).from(schema.conversations),
    db.select({ n: count() }).from(schema.messages),
    activeUsersSince(db, new Date(now.getTime() - DAY_MS)),
    db.select({ n: count() }).from(schema.runs).where(eq(schema.runs.status, "running")),
    db
      .select({ micros: sum(schema.usageRecords.costMicros) })
      .from(schema.usageRecords)
      .where(gte(schema.usageRecords.createdAt, startOfUtcDay(now))),
  ]);
  return {
    totalUsers: users?.n ?? 0,
    totalProjects: projects?.n ?? 0,
    totalConversations: conversations?.n ?? 0,
    totalMessages: messages?.n ?? 0,
    activeUsers24h: active?.n ?? 0,
    runningRuns: running?.n ?? 0,
    spendTodayUsd: microsToUsd(Number(spend?.micros ?? 0)),
  };
}

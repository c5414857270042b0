// API keys for integrations (X-API-Key). The secret is shown once, at creation; only a hash is stored.
import { schema } from "@crewdeck/db";
import { and, desc, eq } from "drizzle-orm";
import type { ApiDeps } from "../../context";
import { notFound } from "../../errors";
import { iso, isoOrNull } from "../../lib/schemas";
import type { Viewer } from "../../lib/viewer";
import { withBetterAuthErrors } from "./better-auth-errors";

type ApiKeyRow = typeof schema.apiKeys.$inferSelect;

const parseScopes = (permissions: string | null): string[] => {
  if (!permissions) return [];
  const parsed = JSON.parse(permissions) as Record<string, string[]>;
  return Object.entries(parsed).flatMap(([resource, actions]) => actions.map((a) => `${resource}:${a}`));
};

const toApiKeyDto = (key: ApiKeyRow) => ({
  id: key.id,
  name: key.name ?? "",
  prefix: key.start ?? key.prefix ?? "",
  scopes: parseScopes(key.permissions),
  enabled: key.enabled ?? true,
  lastUsedAt: isoOrNull(key.lastRequest),
  expiresAt: isoOrNull(key.expiresAt),
  createdAt: iso(key.createdAt),
});

export async function listApiKeys({ db }: ApiDeps, viewer: Viewer) {
  const rows = await db.query.apiKeys.findMany({
    where: eq(schema.apiKeys.referenceId, viewer.user.id),
    orderBy: [desc(schema.apiKeys.createdAt)],
  });
  return { items: rows.map(toApiKeyDto) };
}

export async function createApiKey(
  deps: ApiDeps,
  viewer: Viewer,
  input: { name: string; expiresInDays?: number | undefined },
) {
  const created = await withBetterAuthErrors(() =>
    deps.auth.api.createApiKey({
      body: {
        name: input.name,
        userId: viewer.user.id,
        expiresIn: input.expiresInDays ? input.expiresInDays * 86_400 : undefined,
      },
    }),
  );
  const row = await deps.db.query.apiKeys.findFirst({ where: eq(schema.apiKeys.id, created.id) });
  if (!row) throw new Error("better-auth did not store the API key");
  return { ...toApiKeyDto(row), key: created.key };
}

export async function deleteApiKey({ db }: ApiDeps, viewer: Viewer, id: string) {
  const deleted = await db
    .delete(schema.apiKeys)
    .where(and(eq(schema.apiKeys.id, id), eq(schema.apiKeys.referenceId, viewer.user.id)))
    .returning();
  if (deleted.length === 0) throw notFound("API key");
}

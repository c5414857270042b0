// API keys for integrations (X-API-Key). The secret is shown once, at creation; only a hash is stored.
// What a key may do is kept with it in better-auth's row: its scopes as `permissions` ({ api: scopes }),
// its project restriction in `metadata` ({ projectId }).
import { schema } from "@crewdeck/db";
import { API_KEY_SCOPES, type ApiKeyScope, DEFAULT_API_KEY_SCOPES } from "@crewdeck/domain";
import { and, desc, eq } from "drizzle-orm";
import type { ApiDeps, RequestInfo } from "../../context";
import { forbidden, invalid, notFound } from "../../errors";
import { iso, isoOrNull } from "../../lib/schemas";
import type { Viewer } from "../../lib/viewer";
import { recordAuditEvent } from "../audit/audit";
import { requireProjectRole } from "../projects/access";

type Deps = ApiDeps & Pick<RequestInfo, "headers" | "clientIp">;

import { withBetterAuthErrors } from "./better-auth-errors";

type ApiKeyRow = typeof schema.apiKeys.$inferSelect;

/** What a key may do: its scopes, and the one project it is limited to (null: all of its owner's). */
export type ApiKeyGrant = { id: string; scopes: ApiKeyScope[]; projectId: string | null };

const PERMISSIONS_RESOURCE = "api";

const parseJson = (text: string | null): unknown => {
  if (!text) return null;
  try {
    return JSON.parse(text);
  } catch {
    return null;
  }
};

const isScope = (value: unknown): value is ApiKeyScope => API_KEY_SCOPES.includes(value as ApiKeyScope);

/** A key's grant. Keys made before scopes existed keep the default (read and write), never `admin`. */
export function grantOf(key: Pick<ApiKeyRow, "id" | "permissions" | "metadata">): ApiKeyGrant {
  const permissions = parseJson(key.permissions) as Record<string, unknown> | null;
  const listed = permissions?.[PERMISSIONS_RESOURCE];
  const scopes = Array.isArray(listed) ? listed.filter(isScope) : DEFAULT_API_KEY_SCOPES;
  const metadata = parseJson(key.metadata) as Record<string, unknown> | null;
  const projectId = typeof metadata?.projectId === "string" ? metadata.projectId : null;
  return { id: key.id, scopes, projectId };
}

const toApiKeyDto = (key: ApiKeyRow) => {
  const { scopes, projectId } = grantOf(key);
  return {
    id: key.id,
    name: key.name ?? "",
    prefix: key.start ?? key.prefix ?? "",
    scopes,
    projectId,
    enabled: key.enabled ?? true,
    lastUsedAt: isoOrNull(key.lastRequest),
    expiresAt: isoOrNull(key.expiresAt),
    createdAt: iso(key.createdAt),
  };
};

export async function listApiKeys({ db }: ApiDeps, viewer: Viewer) {
  const rows = await db.query.apiKeys.findMany({
    where: eq(schema.apiKeys.referenceId, viewer.user.id),
    orderBy: [desc(schema.apiKeys.createdAt)],
  });
  return { items: rows.map(toApiKeyDto) };
}

export type CreateApiKeyInput = {
  name: string;
  expiresInDays?: number | undefined;
  scopes?: ApiKeyScope[] | undefined;
  projectId?: string | undefined;
};

export async function createApiKey(deps: Deps, viewer: Viewer, input: CreateApiKeyInput) {
  const scopes = [...new Set(input.scopes ?? DEFAULT_API_KEY_SCOPES)];
  if (scopes.includes("admin")) {
    if (viewer.user.role !== "admin")
      throw forbidden("Only administrators can create keys with the admin scope");
    if (input.projectId) {
      throw invalid("A key limited to one project cannot have the admin scope", [
        { field: "scopes", message: "Remove 'admin' or the project" },
      ]);
    }
  }
  // A key can only be limited to a project its owner can see (outsiders learn nothing: 404).
  if (input.projectId) await requireProjectRole(deps.db, input.projectId, viewer.user.id, "viewer");
  const created = await withBetterAuthErrors(() =>
    deps.auth.api.createApiKey({
      body: {
        name: input.name,
        userId: viewer.user.id,
        expiresIn: input.expiresInDays ? input.expiresInDays * 86_400 : undefined,
        permissions: { [PERMISSIONS_RESOURCE]: scopes },
        metadata: input.projectId ? { projectId: input.projectId } : undefined,
      },
    }),
  );
  const row = await deps.db.query.apiKeys.findFirst({ where: eq(schema.apiKeys.id, created.id) });
  if (!row) throw new Error("better-auth did not store the API key");
  const dto = toApiKeyDto(row);
  await recordAuditEvent(
    deps.db,
    {
      action: "api_key.created",
      actorUserId: viewer.user.id,
      subjectUserId: viewer.user.id,
      request: deps,
      details: { apiKeyId: dto.id, name: dto.name, scopes: dto.scopes, projectId: dto.projectId },
    },
    deps.engine.logger,
  );
  return { ...dto, key: created.key };
}

export async function deleteApiKey(deps: Deps, viewer: Viewer, id: string) {
  await deps.db.transaction(async (tx) => {
    const [deleted] = await tx
      .delete(schema.apiKeys)
      .where(and(eq(schema.apiKeys.id, id), eq(schema.apiKeys.referenceId, viewer.user.id)))
      .returning();
    if (!deleted) throw notFound("API key");
    await recordAuditEvent(
      tx,
      {
        action: "api_key.revoked",
        actorUserId: viewer.user.id,
        subjectUserId: viewer.user.id,
        request: deps,
        details: { apiKeyId: id, name: deleted.name ?? "" },
      },
      deps.engine.logger,
    );
  });
  deps.eventStreams.recheckUser(viewer.user.id);
}

// What an API key may do, as the settings screens offer it: three levels of access rather than raw scopes,
// so nobody builds a key that can write but not read, and `admin` is only ever a deliberate choice.
import type { ApiKeyScope } from "@crewdeck/domain";

export const API_KEY_ACCESS = ["read-write", "read", "admin"] as const;
export type ApiKeyAccess = (typeof API_KEY_ACCESS)[number];

const SCOPES: Record<ApiKeyAccess, ApiKeyScope[]> = {
  "read-write": ["read", "write"],
  read: ["read"],
  admin: ["read", "write", "admin"],
};

export const scopesFor = (access: ApiKeyAccess): ApiKeyScope[] => SCOPES[access];

export const accessLabel = (access: ApiKeyAccess): string =>
  access === "read-write" ? "Read and write" : access === "read" ? "Read only" : "Read, write and administer";

const VERBS: Record<ApiKeyScope, string> = { read: "read", write: "write", admin: "administer" };

/** What a key's scopes let it do, for the keys table: "Read only", "Read and write", … */
export function describeScopes(scopes: readonly ApiKeyScope[]): string {
  const verbs = (["read", "write", "admin"] as const).filter((s) => scopes.includes(s)).map((s) => VERBS[s]);
  if (verbs.length === 0) return "No access";
  if (verbs.length === 1) return `${verbs[0]![0]!.toUpperCase()}${verbs[0]!.slice(1)} only`;
  const text = `${verbs.slice(0, -1).join(", ")} and ${verbs.at(-1)}`;
  return `${text[0]!.toUpperCase()}${text.slice(1)}`;
}

/** The levels a user may choose: only administrators can give a key their admin role. */
export const accessChoices = (isAdmin: boolean): readonly ApiKeyAccess[] =>
  isAdmin ? API_KEY_ACCESS : API_KEY_ACCESS.filter((a) => a !== "admin");

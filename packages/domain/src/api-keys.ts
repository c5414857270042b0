// What an API key may do. `read` covers queries and event streams, `write` mutations; `admin` lets a key
// act with its owner's site-admin role, so it is never granted unless asked for.
export const API_KEY_SCOPES = ["read", "write", "admin"] as const;
export type ApiKeyScope = (typeof API_KEY_SCOPES)[number];
export const DEFAULT_API_KEY_SCOPES: ApiKeyScope[] = ["read", "write"];

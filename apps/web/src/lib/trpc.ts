// The one tRPC client of the app: queries and mutations over HTTP (batched), the live event stream over
// SSE. Every request carries the session's access token; a 401 refreshes it once and retries.
import type { AppRouter } from "@crewdeck/api";
import { TRPC_MAX_BATCH_SIZE } from "@crewdeck/domain";
import { createTRPCClient, httpBatchLink, httpSubscriptionLink, splitLink } from "@trpc/client";
import type { inferRouterInputs, inferRouterOutputs } from "@trpc/server";
import { createTRPCContext } from "@trpc/tanstack-react-query";
import { EventSource } from "eventsource";
import type { Session } from "./session";

export type RouterOutputs = inferRouterOutputs<AppRouter>;
export type RouterInputs = inferRouterInputs<AppRouter>;

export const { TRPCProvider, useTRPC, useTRPCClient } = createTRPCContext<AppRouter>();

const withToken = (init: RequestInit | undefined, token: string | null): RequestInit => {
  const headers = new Headers(init?.headers);
  if (token) headers.set("authorization", `Bearer ${token}`);
  return { ...init, headers };
};

const SIGN_IN_CALL = /\/auth\.(login|register|verifyTwoFactor|enableTwoFactor|disableTwoFactor)\b/;

/** fetch with the access token, refreshing and retrying once when the server says it has expired. */
export function authorisedFetch(session: Session): typeof fetch {
  return async (input, init) => {
    const refreshToken = session.refreshToken;
    const response = await fetch(input, withToken(init, await session.accessToken()));
    // A 401 from the sign-in procedures (a wrong password or 2FA code) is an answer, not an expired token.
    if (response.status !== 401 || !refreshToken || SIGN_IN_CALL.test(String(input))) return response;
    const token = await session.refresh(refreshToken);
    return token ? fetch(input, withToken(init, token)) : response;
  };
}

export function createApiClient(serverUrl: string, session: Session) {
  const url = `${serverUrl}/trpc`;
  const fetchWithAuth = authorisedFetch(session);
  return createTRPCClient<AppRouter>({
    links: [
      splitLink({
        condition: (op) => op.type === "subscription",
        true: httpSubscriptionLink({
          url,
          // The browser's own EventSource cannot send headers; this one takes a fetch, called on every
          // (re)connect, so a reconnect after the token expired goes out with a fresh one.
          EventSource,
          eventSourceOptions: () => ({ fetch: fetchWithAuth }),
        }),
        // The server refuses a batch of more calls than this (400), so the link splits larger ones.
        false: httpBatchLink({
          url,
          fetch: fetchWithAuth,
          maxURLLength: 4000,
          maxItems: TRPC_MAX_BATCH_SIZE,
        }),
      }),
    ],
  });
}

export type ApiClient = ReturnType<typeof createApiClient>;

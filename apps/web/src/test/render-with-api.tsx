// Renders a component that needs the app's providers (router, TanStack Query, the tRPC context) for
// component tests. The tRPC client is real but has no server: each request fails as an unreachable one
// would. A test checks what the component shows and which dialogs it opens, not what a server answers (the
// e2e suites do that).
import type { AppRouter } from "@crewdeck/api";
import { QueryClient, QueryClientProvider } from "@tanstack/react-query";
import { render } from "@testing-library/react";
import { createTRPCClient, httpBatchLink } from "@trpc/client";
import { createTRPCOptionsProxy, type TRPCOptionsProxy } from "@trpc/tanstack-react-query";
import type { ReactNode } from "react";
import { MemoryRouter } from "react-router";
import { TRPCProvider } from "../lib/trpc";

const noServer = () => Promise.reject(new TypeError("Failed to fetch: no server in component tests"));

/**
 * `seed` puts answers in the query cache before the first render, as if the server had sent them; what the
 * component then asks for beyond them fails.
 */
export function renderWithApi(
  ui: ReactNode,
  {
    path = "/",
    seed,
  }: { path?: string; seed?: (trpc: TRPCOptionsProxy<AppRouter>, queryClient: QueryClient) => void } = {},
) {
  const queryClient = new QueryClient({
    // Seeded answers stay fresh: a refetch could only fail.
    defaultOptions: {
      queries: { retry: false, staleTime: Number.POSITIVE_INFINITY },
      mutations: { retry: false },
    },
  });
  const client = createTRPCClient<AppRouter>({ links: [httpBatchLink({ url: "/trpc", fetch: noServer })] });
  seed?.(createTRPCOptionsProxy<AppRouter>({ client, queryClient }), queryClient);
  return render(
    <MemoryRouter initialEntries={[path]}>
      <QueryClientProvider client={queryClient}>
        <TRPCProvider trpcClient={client} queryClient={queryClient}>
          {ui}
        </TRPCProvider>
      </QueryClientProvider>
    </MemoryRouter>,
  );
}

// The app with everything it needs: the session, the API client, TanStack Query through tRPC's
// integration, the router and toasts. The desktop app renders the same component with its server's URL.
import { QueryCache, QueryClient, QueryClientProvider } from "@tanstack/react-query";
import { useState } from "react";
import { RouterProvider } from "react-router";
import { Toaster, toast } from "sonner";
import { ServicesProvider } from "./lib/app-context";
import { describeError, errorCode } from "./lib/errors";
import { Session } from "./lib/session";
import { createApiClient, TRPCProvider } from "./lib/trpc";
import { createAppRouter } from "./routes/router";
import "./styles.css";

export interface AppProps {
  /**
   * Base URL of the Crewdeck server. The server serves the web build, so it defaults to this page's
   * origin (""); the desktop app passes the server it is configured for.
   */
  serverUrl?: string;
}

function createQueryClient(session: Session) {
  return new QueryClient({
    queryCache: new QueryCache({
      onError: (error) => {
        // A session that cannot be refreshed any more: back to the login page (the guard redirects).
        if (errorCode(error) === "UNAUTHORIZED") session.clear();
      },
    }),
    defaultOptions: {
      queries: {
        staleTime: 10_000,
        // Client errors (404, 403, 400) will not get better by asking again.
        retry: (count, error) =>
          count < 2 &&
          !["RESOURCE_NOT_FOUND", "FORBIDDEN", "UNAUTHORIZED", "VALIDATION_ERROR"].includes(
            errorCode(error) ?? "",
          ),
      },
      mutations: {
        // Every failed action says why, unless the screen shows it in place (onError of its own).
        onError: (error) => toast.error(describeError(error)),
      },
    },
  });
}

export function App({ serverUrl = "" }: AppProps) {
  const [services] = useState(() => {
    const session = new Session(serverUrl);
    return { serverUrl, session, client: createApiClient(serverUrl, session) };
  });
  const [queryClient] = useState(() => createQueryClient(services.session));
  const [router] = useState(createAppRouter);
  return (
    <ServicesProvider value={services}>
      <QueryClientProvider client={queryClient}>
        <TRPCProvider trpcClient={services.client} queryClient={queryClient}>
          <RouterProvider router={router} />
          <Toaster position="bottom-right" richColors closeButton />
        </TRPCProvider>
      </QueryClientProvider>
    </ServicesProvider>
  );
}

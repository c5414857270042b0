// What every screen reaches for: the server's base URL, the session and the API client, built once.
import { createContext, type ReactNode, useContext, useSyncExternalStore } from "react";
import type { Session } from "./session";
import type { ApiClient } from "./trpc";

export type AppServices = { serverUrl: string; session: Session; client: ApiClient };

const Services = createContext<AppServices | null>(null);

export function ServicesProvider({ value, children }: { value: AppServices; children: ReactNode }) {
  return <Services.Provider value={value}>{children}</Services.Provider>;
}

export function useServices(): AppServices {
  const services = useContext(Services);
  if (!services) throw new Error("useServices outside ServicesProvider");
  return services;
}

/** Re-renders when the person signs in or out (in this tab or another). */
export function useSignedIn(): boolean {
  const { session } = useServices();
  return useSyncExternalStore(
    (onChange) => session.onChange(onChange),
    () => session.signedIn,
  );
}

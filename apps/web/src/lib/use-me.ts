import { useQuery } from "@tanstack/react-query";
import { useTRPC } from "./trpc";

/** The signed-in user (profile, role), cached for the whole app. */
export function useMe() {
  const trpc = useTRPC();
  return useQuery({ ...trpc.auth.me.queryOptions(), staleTime: 60_000 });
}

// Says so at once when no model provider is set up, since until one is the agents cannot answer: an admin
// gets the way to set one up, anyone else whom to ask.
import { useQuery } from "@tanstack/react-query";
import { TriangleAlert } from "lucide-react";
import { Link } from "react-router";
import { useTRPC } from "../../lib/trpc";
import { useMe } from "../../lib/use-me";

export function ProviderNotice() {
  const trpc = useTRPC();
  const me = useMe();
  const health = useQuery(trpc.health.check.queryOptions());
  const providers = Object.values(health.data?.services.modelProviders ?? {});
  if (!health.data || providers.includes("up")) return null;
  return (
    <div role="status" className="flex items-start gap-3 rounded-lg bg-warn-bg px-4 py-3 text-sm text-warn">
      <TriangleAlert size={18} aria-hidden className="mt-0.5 shrink-0" />
      <p>
        No model provider is set up yet, so the agents cannot answer chats or work tasks.{" "}
        {me.data?.role === "admin" ? (
          <Link to="/admin#providers" className="font-medium underline">
            Set one up in Administration
          </Link>
        ) : (
          "Ask your administrator to set one up."
        )}
      </p>
    </div>
  );
}

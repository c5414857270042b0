// Settings → GitHub: connect (through GitHub's authorize page), see who is connected, reconnect when GitHub
// refused the token, sync repositories and disconnect. It also finishes a connection the server handed back
// (`?github=finish#code&state`) and says in words how the last one went.
import { useMutation, useQuery, useQueryClient } from "@tanstack/react-query";
import { GitBranch } from "lucide-react";
import { useEffect, useRef, useState } from "react";
import { toast } from "sonner";
import { describeError } from "../../lib/errors";
import { formatRelative } from "../../lib/format";
import { useTRPC, useTRPCClient } from "../../lib/trpc";
import { useMe } from "../../lib/use-me";
import { Badge } from "../ui/badge";
import { Button } from "../ui/button";
import { ConfirmButton } from "../ui/dialog";
import { QueryState } from "../ui/states";
import {
  type CallbackOutcome,
  callbackOutcome,
  githubReason,
  reasonText,
  syncSummary,
} from "./github-labels";
import { GitHubUnavailable } from "./github-unavailable";

type Notice = { tone: "ok" | "danger"; text: string } | null;

export function GitHubPanel() {
  const trpc = useTRPC();
  const client = useTRPCClient();
  const queryClient = useQueryClient();
  const status = useQuery(trpc.github.status.queryOptions());
  const me = useMe();
  // No OAuth app on the server: say so before anyone presses a Connect button that could only fail.
  const health = useQuery(trpc.health.check.queryOptions());
  const unavailable = health.data?.services.github === "not-configured";
  const [notice, setNotice] = useState<Notice>(null);
  const refresh = () => queryClient.invalidateQueries({ queryKey: trpc.github.pathKey() });

  const connect = useMutation({
    mutationFn: async () => (await client.github.connectUrl.query()).authUrl,
    onSuccess: (authUrl) => window.location.assign(authUrl),
    onError: (error) =>
      setNotice({
        tone: "danger",
        text: githubReason(error) ? reasonText(githubReason(error)) : describeError(error),
      }),
  });
  const finish = useMutation(
    trpc.github.connect.mutationOptions({
      onSuccess: (connected) => {
        setNotice({ tone: "ok", text: `GitHub connected as ${connected.github?.username ?? "you"}.` });
        void refresh();
      },
      onError: (error) =>
        setNotice({
          tone: "danger",
          text: githubReason(error) ? reasonText(githubReason(error)) : describeError(error),
        }),
    }),
  );
  const sync = useMutation(
    trpc.github.repositories.sync.mutationOptions({
      onSuccess: (result) => {
        toast.success(syncSummary(result));
        void refresh();
      },
      onError: (error) => {
        toast.error(githubReason(error) ? reasonText(githubReason(error)) : describeError(error));
        void refresh();
      },
    }),
  );
  const disconnect = useMutation(
    trpc.github.disconnect.mutationOptions({
      onSuccess: () => {
        toast.success("GitHub disconnected");
        void refresh();
      },
    }),
  );

  // The address says how the trip to GitHub went; read it once, then tidy the address.
  const handled = useRef(false);
  useEffect(() => {
    if (handled.current) return;
    handled.current = true;
    const outcome: CallbackOutcome = callbackOutcome(
      new URLSearchParams(window.location.search),
      window.location.hash,
    );
    if (!outcome) return;
    window.history.replaceState(null, "", `${window.location.pathname}?tab=github`);
    if (outcome.kind === "connected") setNotice({ tone: "ok", text: "GitHub connected." });
    else if (outcome.kind === "error") setNotice({ tone: "danger", text: outcome.message });
    else finish.mutate({ code: outcome.code, state: outcome.state });
  }, [finish]);

  return (
    <section aria-labelledby="github-heading" className="flex flex-col gap-4">
      <div>
        <h2 id="github-heading" className="text-lg font-semibold">
          GitHub
        </h2>
        <p className="text-sm text-muted">
          Connect your GitHub account to pick repositories for your projects. Your token is stored encrypted
          and never shown.
        </p>
      </div>
      {notice && (
        <p
          role={notice.tone === "danger" ? "alert" : "status"}
          className={
            notice.tone === "ok"
              ? "rounded-md bg-ok-bg px-3 py-2 text-sm text-ok"
              : "rounded-md bg-danger-bg px-3 py-2 text-sm text-danger"
          }
        >
          {notice.text}
        </p>
      )}
      {finish.isPending && <p className="text-sm text-muted">Finishing the connection…</p>}
      <QueryState query={status} loading="Loading your GitHub connection…">
        {(s) =>
          (!s.connected || !s.github) && unavailable ? (
            <GitHubUnavailable isAdmin={me.data?.role === "admin"} />
          ) : !s.connected || !s.github ? (
            <div className="flex flex-col items-start gap-3 rounded-lg border border-border bg-surface p-4">
              <p className="text-sm">
                Not connected. You will be sent to GitHub to approve access, then back here.
              </p>
              <Button variant="primary" busy={connect.isPending} onClick={() => connect.mutate()}>
                <GitBranch size={16} aria-hidden /> Connect GitHub
              </Button>
            </div>
          ) : (
            <div className="flex flex-col gap-3 rounded-lg border border-border bg-surface p-4">
              <div className="flex flex-wrap items-center gap-3">
                {s.github.profile.avatarUrl && (
                  <img
                    src={s.github.profile.avatarUrl}
                    alt=""
                    referrerPolicy="no-referrer"
                    className="h-10 w-10 rounded-full"
                  />
                )}
                <div className="min-w-0 flex-1">
                  <p className="font-medium">
                    Connected as{" "}
                    {s.github.profile.htmlUrl ? (
                      <a
                        href={s.github.profile.htmlUrl}
                        target="_blank"
                        rel="noreferrer"
                        className="hover:underline"
                      >
                        {s.github.username}
                      </a>
                    ) : (
                      s.github.username
                    )}
                  </p>
                  <p className="text-xs text-muted">
                    Since {formatRelative(s.github.connectedAt)} ·{" "}
                    {s.github.lastSyncAt
                      ? `repositories synced ${formatRelative(s.github.lastSyncAt)}`
                      : "repositories not synced yet"}
                  </p>
                </div>
                <Badge tone={s.needsReconnect ? "danger" : "ok"}>
                  {s.needsReconnect ? "Needs reconnecting" : "Connected"}
                </Badge>
              </div>
              {s.needsReconnect && (
                <p role="alert" className="rounded-md bg-warn-bg px-3 py-2 text-sm text-warn">
                  {reasonText("reconnect_required")}
                </p>
              )}
              <div className="flex flex-wrap gap-2">
                {s.needsReconnect ? (
                  <Button variant="primary" busy={connect.isPending} onClick={() => connect.mutate()}>
                    Reconnect
                  </Button>
                ) : (
                  <Button variant="primary" busy={sync.isPending} onClick={() => sync.mutate({})}>
                    Sync repositories
                  </Button>
                )}
                <ConfirmButton
                  variant="secondary"
                  title="Disconnect GitHub?"
                  description="Crewdeck forgets your token and your synced repository list. Repositories already linked to projects stay linked."
                  confirmLabel="Disconnect"
                  onConfirm={() => disconnect.mutateAsync()}
                >
                  Disconnect
                </ConfirmButton>
              </div>
            </div>
          )
        }
      </QueryState>
    </section>
  );
}

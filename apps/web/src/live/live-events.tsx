// One live event stream per signed-in tab (§4 over tRPC SSE, resumed from the last event id by the link
// after a drop). Events refresh the queries they make stale, feed the streaming text of agent replies,
// and reach any screen that listens for a type with `useLiveEvent`.
import { useQueryClient } from "@tanstack/react-query";
import { createContext, type ReactNode, useContext, useEffect, useRef, useState } from "react";
import { useServices } from "../lib/app-context";
import { type RouterOutputs, useTRPC } from "../lib/trpc";
import { streamingText } from "./streaming-text";

type Tracked = RouterOutputs["events"]["subscribe"] extends AsyncIterable<infer T> ? T : never;
export type LiveEvent = Tracked extends { data: infer D } ? D : Tracked;
export type LiveEventType = LiveEvent extends { type: infer T } ? T : string;
type EventOf<T extends LiveEventType> = Extract<LiveEvent, { type: T }>;
type Handler = (event: LiveEvent) => void;

export type StreamState = "connecting" | "live" | "reconnecting";

const Listeners = createContext<{ add: (handler: Handler) => () => void; state: StreamState } | null>(null);

/** Whether a query belongs to the procedure a `pathKey()` names (its first key part is the path). */
const samePath = (queryKey: readonly unknown[], pathKey: readonly unknown[]) =>
  JSON.stringify(queryKey[0]) === JSON.stringify(pathKey[0]);

export function LiveEventsProvider({ children }: { children: ReactNode }) {
  const { client } = useServices();
  const trpc = useTRPC();
  const queryClient = useQueryClient();
  const handlers = useRef(new Set<Handler>());
  const [state, setState] = useState<StreamState>("connecting");

  useEffect(() => {
    const invalidate = (queryKey: readonly unknown[], except?: readonly unknown[]) =>
      void queryClient.invalidateQueries({
        queryKey,
        ...(except && { predicate: (query) => !samePath(query.queryKey, except) }),
      });
    // A task's diff is read from GitHub: it changes only when a run ends (push, pull request) or GitHub
    // says so, not on every step of a pipeline.
    const taskDiffs = trpc.tasks.diff.pathKey();
    const apply = (event: LiveEvent) => {
      switch (event.type) {
        case "message_delta":
          streamingText.append(event.payload.messageId, event.payload.delta);
          break;
        case "message":
          if (event.payload.status !== "streaming") streamingText.finish(event.payload.id);
          invalidate(trpc.conversations.pathKey());
          break;
        case "message_deleted":
          streamingText.finish(event.payload.messageId);
          invalidate(trpc.conversations.pathKey());
          break;
        case "agent_status":
          invalidate(trpc.agents.pathKey());
          break;
        case "task_progress":
        case "pipeline_update":
        case "task_completed":
          invalidate(trpc.tasks.pathKey(), event.type === "task_completed" ? undefined : taskDiffs);
          invalidate(trpc.runs.pathKey());
          invalidate(trpc.projects.pathKey());
          break;
        case "notification":
          invalidate(trpc.notifications.pathKey());
          break;
        case "budget_alert":
          invalidate(trpc.budgets.pathKey());
          invalidate(trpc.notifications.pathKey());
          break;
        case "emergency_pause":
        case "emergency_resume":
          invalidate(trpc.emergency.pathKey());
          invalidate(trpc.agents.pathKey());
          invalidate(trpc.tasks.pathKey());
          invalidate(trpc.runs.pathKey());
          break;
        case "github_update":
          // A webhook changed a synced issue or pull request: their lists hang off the project, and a task
          // shows its pull request and changes.
          invalidate(trpc.projects.pathKey());
          invalidate(trpc.tasks.pathKey());
          break;
      }
      for (const handler of handlers.current) handler(event);
    };
    const subscription = client.events.subscribe.subscribe(
      {},
      {
        onStarted: () => setState("live"),
        onData: (tracked) => apply(("data" in tracked ? tracked.data : tracked) as LiveEvent),
        onConnectionStateChange: (change) => {
          if (change.state === "connecting") setState((s) => (s === "live" ? "reconnecting" : s));
          if (change.state === "pending") setState("live");
        },
        onError: () => setState("reconnecting"),
      },
    );
    return () => subscription.unsubscribe();
  }, [client, queryClient, trpc]);

  const [value] = useState(() => ({
    add: (handler: Handler) => {
      handlers.current.add(handler);
      return () => {
        handlers.current.delete(handler);
      };
    },
  }));
  return <Listeners.Provider value={{ ...value, state }}>{children}</Listeners.Provider>;
}

/** Calls `handler` for every live event of `type` while the component is mounted. */
export function useLiveEvent<T extends LiveEventType>(type: T, handler: (event: EventOf<T>) => void) {
  const context = useContext(Listeners);
  const latest = useRef(handler);
  latest.current = handler;
  useEffect(() => {
    if (!context) return;
    return context.add((event) => {
      if (event.type === type) latest.current(event as EventOf<T>);
    });
  }, [context, type]);
}

export const useLiveState = (): StreamState => useContext(Listeners)?.state ?? "connecting";

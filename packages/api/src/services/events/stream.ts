// One live event stream for a caller: the filters they named must be theirs to see (404 otherwise, as
// for any resource), and every event is checked against who may see it before it leaves. The tRPC
// subscription and the raw SSE route both come through here.
import { type AnyBusEvent, createEventVisibility, type EventVisibility } from "@crewdeck/engine";
import type { ApiDeps } from "../../context";
import { loadConversation, loadTask } from "../access/scoped-resources";
import { credentialProjectId, requireProjectRole } from "../projects/access";
import type { EventStreamRequest } from "./request";

export type EventStreamCaller = { id: string; role: string | null };

async function checkFilterAccess(
  db: ApiDeps["db"],
  request: EventStreamRequest,
  userId: string,
): Promise<void> {
  if (request.conversationId) await loadConversation(db, request.conversationId, userId, "viewer");
  if (request.projectId) await requireProjectRole(db, request.projectId, userId, "viewer");
  if (request.taskId) await loadTask(db, request.taskId, userId, "viewer");
}

/** A credential limited to one project sees that project's events only (decided when the stream opens). */
function withinProject(projectId: string | null, visibility: EventVisibility): EventVisibility {
  if (!projectId) return visibility;
  return { canSee: (event) => event.scope.projectId === projectId && visibility.canSee(event) };
}

async function* visibleEvents(
  source: AsyncIterator<AnyBusEvent>,
  visibility: EventVisibility,
): AsyncGenerator<AnyBusEvent, void> {
  try {
    for (;;) {
      const next = await source.next();
      if (next.done) return;
      if (await visibility.canSee(next.value)) yield next.value;
    }
  } finally {
    await source.return?.();
  }
}

/**
 * Opens the stream. The bus subscription is registered before this resolves, so a client that waits
 * for the stream to open before acting misses nothing; `signal` ends it (and frees it) when the client
 * goes away.
 */
export async function openEventStream(
  { db, engine }: Pick<ApiDeps, "db" | "engine">,
  caller: EventStreamCaller,
  request: EventStreamRequest,
  signal: AbortSignal,
): Promise<AsyncIterable<AnyBusEvent>> {
  await checkFilterAccess(db, request, caller.id);
  const visibility = withinProject(
    credentialProjectId(),
    createEventVisibility(db, { userId: caller.id, isAdmin: caller.role === "admin" }),
  );
  const source = engine.bus
    .subscribe(
      {
        conversationId: request.conversationId,
        projectId: request.projectId,
        taskId: request.taskId,
        types: request.types,
      },
      { afterId: request.lastEventId ?? null, signal },
    )
    [Symbol.asyncIterator]();
  return visibleEvents(source, visibility);
}

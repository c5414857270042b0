// The notices a run's starter gets when it ends or stops (issue 16): finished, failed, cancelled by someone
// else, or stopped by an emergency stop or a paused agent. Each is a kind they may turn off.
import type { NotificationKind, NotificationSeverity } from "@crewdeck/domain";
import type { EngineDeps } from "../engine-deps";
import { transactionWithEvents } from "../events/outbox";
import { publishNotification } from "../events/publish-notification";
import { notifyUser } from "../notifications/notify";

type RunRef = { id: string; startedById: string | null };
type TaskRef = { id: string; title: string; projectId: string | null };

export async function noticeToStarter(
  engine: Pick<EngineDeps, "db" | "bus" | "outbox" | "now" | "logger">,
  run: RunRef,
  task: TaskRef,
  notice: { type: NotificationKind; severity?: NotificationSeverity; title: string; message: string },
  /** Who caused it, when a person did: they need no notice of their own act. */
  actorId?: string | null,
): Promise<void> {
  if (!run.startedById || run.startedById === actorId) return;
  const userId = run.startedById;
  try {
    // The notice and its event commit together (the outbox): stored and never heard of, or heard of and
    // never stored, is not possible.
    await transactionWithEvents(engine, (tx, events) =>
      notifyUser(
        tx,
        {
          userId,
          ...notice,
          data: { taskId: task.id, runId: run.id, projectId: task.projectId ?? undefined },
        },
        { onCreated: publishNotification(events) },
      ),
    );
  } catch (error) {
    // The run's own state is written; a notice that could not be stored must not undo or fail it.
    engine.logger.error(`Notifying about run ${run.id} failed`, error);
  }
}

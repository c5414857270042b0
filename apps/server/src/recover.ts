// What a process picks up at start-up from the processes that stopped before it.
import {
  closeAbandonedReservations,
  type Engine,
  queueStrandedSteps,
  recoverChatReplies,
  resumeInterruptedRuns,
} from "@crewdeck/engine";
import type { Logger } from "./http/app";

/**
 * On a queue, other processes may be working right now, so nothing of theirs is touched: a dead worker's
 * job comes back through BullMQ's stalled-job check (its chat replies answered again there) and its step
 * through the lease sweep, which starts here. Holds older than a day are another matter: no call lasts that
 * long, so they are a crashed process's.
 */
const QUEUED_ABANDONED_HOLD_MS = 24 * 3_600_000;

export async function recoverAfterStart(engine: Engine, logger: Logger): Promise<void> {
  if (engine.queue) {
    await closeAbandonedReservations(engine.db, QUEUED_ABANDONED_HOLD_MS, new Date());
    const queued = await queueStrandedSteps(engine);
    if (queued > 0) logger.info(`Steps queued at start-up: ${queued}`);
    return;
  }
  // One process: runs under way when it last stopped go on (or are marked interrupted); calls that died with
  // it are charged at their estimate (their pending usage rows) and their holds end. Reservations of a single
  // process are never older than its calls.
  await closeAbandonedReservations(engine.db, 0, new Date());
  const recovery = await resumeInterruptedRuns(engine);
  if (recovery.resumed + recovery.interrupted > 0) {
    logger.info(`Runs after restart: ${recovery.resumed} resumed, ${recovery.interrupted} interrupted`);
  }
  // Chat replies cut off mid-stream are marked so, and the people's messages are answered again.
  const chat = await recoverChatReplies(engine);
  if (chat.interrupted > 0) {
    logger.info(`Chat replies after restart: ${chat.interrupted} cut off, ${chat.retried} answered again`);
  }
}

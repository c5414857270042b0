// How `pnpm start` and `pnpm worker` live as processes: a start-up error is printed and exits 1, SIGTERM or
// SIGINT closes the thing started (once) and exits 0, and a close that hangs past 10 s exits 1.
import { EnvError } from "./env";

const SHUTDOWN_LIMIT_MS = 10_000;

export function runProcess(start: () => Promise<{ close(): Promise<void> }>, onStop: string): void {
  // Through a promise, so that a settings error thrown before `start` awaits anything is reported the same way.
  Promise.resolve()
    .then(start)
    .then((started) => {
      let stopping = false;
      const stop = async (signal: string) => {
        if (stopping) return;
        stopping = true;
        console.log(`${signal} received: ${onStop}`);
        const timer = setTimeout(() => {
          console.error("Shutdown took longer than 10 s; exiting");
          process.exit(1);
        }, SHUTDOWN_LIMIT_MS);
        timer.unref();
        await started.close();
        process.exit(0);
      };
      process.on("SIGTERM", () => void stop("SIGTERM"));
      process.on("SIGINT", () => void stop("SIGINT"));
    })
    .catch((error) => {
      console.error(error instanceof EnvError ? error.message : error);
      process.exit(1);
    });
}

// Talking to a benchmark's helper process (clients forked so their CPU is not the server's).
import type { ChildProcess } from "node:child_process";

/** Resolves with the first message of `type` the child sends; its `error` messages are printed meanwhile. */
export const nextMessage = <T>(child: ChildProcess, type: string, timeoutMs: number) =>
  new Promise<T>((resolve, reject) => {
    const timer = setTimeout(() => {
      child.off("message", onMessage);
      reject(new Error(`no "${type}" from the child in ${timeoutMs} ms`));
    }, timeoutMs);
    const onMessage = (message: { type: string }) => {
      if (message.type === "error") console.error("child:", message);
      if (message.type !== type) return;
      clearTimeout(timer);
      child.off("message", onMessage);
      resolve(message as T);
    };
    child.on("message", onMessage);
  });

import { describe, expect, it } from "vitest";
import {
  applyLiveMessages,
  applyNewestPage,
  applyOlderPage,
  compareMessages,
  emptyMessageLog,
  type LoggedMessage,
  mergeMessages,
  oldestMessageId,
} from "./message-log";

type M = LoggedMessage & { content?: string };

/** Message n, created n seconds after a fixed start. */
const msg = (n: number, extra: Partial<M> = {}): M => ({
  id: `m${String(n).padStart(3, "0")}`,
  createdAt: new Date(Date.UTC(2026, 0, 1, 0, 0, n)).toISOString(),
  status: "complete",
  ...extra,
});
/** A page as the API sends it: newest first. */
const page = (from: number, to: number, hasMore: boolean) => ({
  items: Array.from({ length: to - from + 1 }, (_, i) => msg(to - i)),
  hasMore,
});
const ids = (messages: M[]) => messages.map((m) => m.id);

describe("compareMessages", () => {
  it("orders by creation time, then by id for messages created in the same millisecond", () => {
    const sameTime = "2026-01-01T00:00:00.000Z";
    const sorted = [msg(3), { id: "b", createdAt: sameTime }, msg(1), { id: "a", createdAt: sameTime }].sort(
      compareMessages,
    );
    expect(ids(sorted)).toEqual(["a", "b", "m001", "m003"]);
  });
});

describe("mergeMessages", () => {
  it("keeps each id once, oldest first, with the newer copy's content", () => {
    const merged = mergeMessages([msg(1), msg(2, { content: "old" })], [msg(3), msg(2, { content: "new" })]);
    expect(ids(merged)).toEqual(["m001", "m002", "m003"]);
    expect(merged[1]?.content).toBe("new");
  });

  it("never puts a finished message back to streaming", () => {
    const merged = mergeMessages(
      [msg(1, { status: "complete", content: "done" })],
      [msg(1, { status: "streaming" })],
    );
    expect(merged[0]).toMatchObject({ status: "complete", content: "done" });
  });

  it("lets a streaming message finish", () => {
    const merged = mergeMessages([msg(1, { status: "streaming" })], [msg(1, { status: "error" })]);
    expect(merged[0]?.status).toBe("error");
  });
});

describe("applyNewestPage", () => {
  it("fills an empty log from the first page, oldest first", () => {
    const log = applyNewestPage(emptyMessageLog<M>(), page(51, 100, true));
    expect(log.messages[0]?.id).toBe("m051");
    expect(log.messages.at(-1)?.id).toBe("m100");
    expect(log.hasOlder).toBe(true);
  });

  it("keeps the older pages when new messages push the newest page forward", () => {
    let log = applyNewestPage(emptyMessageLog<M>(), page(51, 100, true));
    log = applyOlderPage(log, page(1, 50, false));
    log = applyNewestPage(log, page(61, 110, true));
    expect(log.messages).toHaveLength(110);
    expect(log.hasOlder).toBe(false);
    expect(ids(log.messages)).toEqual(ids(Array.from({ length: 110 }, (_, i) => msg(i + 1))));
  });

  it("starts over from the page when it does not meet the log, rather than leaving a hole", () => {
    let log = applyNewestPage(emptyMessageLog<M>(), page(51, 100, true));
    log = applyOlderPage(log, page(1, 50, false));
    log = applyNewestPage(log, page(151, 200, true));
    expect(log.messages[0]?.id).toBe("m151");
    expect(log.messages).toHaveLength(50);
    expect(log.hasOlder).toBe(true);
    expect(log.prepended).toBe(0);
  });

  it("knows there is nothing older once a refetched page holds the whole conversation", () => {
    let log = applyNewestPage(emptyMessageLog<M>(), page(1, 3, false));
    log = applyNewestPage(log, page(1, 4, false));
    expect(ids(log.messages)).toEqual(["m001", "m002", "m003", "m004"]);
    expect(log.hasOlder).toBe(false);
  });
});

describe("applyOlderPage", () => {
  it("prepends the page and counts only the messages it added", () => {
    let log = applyNewestPage(emptyMessageLog<M>(), page(51, 100, true));
    log = applyOlderPage(log, page(1, 51, true));
    expect(log.prepended).toBe(50);
    expect(log.messages[0]?.id).toBe("m001");
    expect(log.hasOlder).toBe(true);
    expect(oldestMessageId(log)).toBe("m001");
  });
});

describe("applyLiveMessages", () => {
  it("adds a message from a live event at the bottom without disturbing the rest", () => {
    let log = applyNewestPage(emptyMessageLog<M>(), page(51, 100, true));
    log = applyLiveMessages(log, [msg(101, { status: "streaming" })]);
    expect(log.messages.at(-1)).toMatchObject({ id: "m101", status: "streaming" });
    expect(log.hasOlder).toBe(true);
    expect(log.prepended).toBe(0);
  });
});

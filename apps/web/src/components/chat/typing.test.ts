import { describe, expect, it } from "vitest";
import {
  applyTypingEvent,
  createTypingNotifier,
  describeTyping,
  expireTypists,
  TYPING_TTL_MS,
  typistKey,
} from "./typing";

describe("typistKey", () => {
  it("tells agents and people apart, and ignores events that name neither", () => {
    expect(typistKey({ agentId: "a1" })).toBe("agent:a1");
    expect(typistKey({ agentId: null, userId: "u1" })).toBe("user:u1");
    expect(typistKey({ agentId: null })).toBeNull();
  });
});

describe("typing state", () => {
  it("adds a typist once, and removes them when they stop", () => {
    let state = applyTypingEvent([], { key: "agent:a", name: "Architect", isTyping: true }, 0);
    state = applyTypingEvent(state, { key: "agent:a", name: "Architect", isTyping: true }, 1000);
    expect(state).toEqual([{ key: "agent:a", name: "Architect", until: 1000 + TYPING_TTL_MS }]);
    state = applyTypingEvent(state, { key: "agent:a", name: "Architect", isTyping: false }, 2000);
    expect(state).toEqual([]);
  });

  it("forgets a typist whose stop never came", () => {
    const state = applyTypingEvent([], { key: "agent:a", name: "Architect", isTyping: true }, 0);
    expect(expireTypists(state, TYPING_TTL_MS - 1)).toBe(state);
    expect(expireTypists(state, TYPING_TTL_MS)).toEqual([]);
  });
});

describe("describeTyping", () => {
  it("reads naturally for one, two and many typists", () => {
    expect(describeTyping([])).toBe("");
    expect(describeTyping(["Architect"])).toBe("Architect is typing…");
    expect(describeTyping(["Architect", "Developer"])).toBe("Architect and Developer are typing…");
    expect(describeTyping(["A", "B", "C"])).toBe("A, B and 1 other are typing…");
    expect(describeTyping(["A", "B", "C", "D"])).toBe("A, B and 2 others are typing…");
  });
});

describe("createTypingNotifier", () => {
  it("sends the first keystroke at once, then at most once per interval", () => {
    const sent: boolean[] = [];
    let clock = 0;
    const notifier = createTypingNotifier((t) => sent.push(t), { intervalMs: 3000, now: () => clock });
    notifier.typed();
    clock = 1000;
    notifier.typed();
    clock = 2999;
    notifier.typed();
    expect(sent).toEqual([true]);
    clock = 3000;
    notifier.typed();
    expect(sent).toEqual([true, true]);
  });

  it("says stopped once, only after having said typing, and starts afresh after", () => {
    const sent: boolean[] = [];
    let clock = 0;
    const notifier = createTypingNotifier((t) => sent.push(t), { intervalMs: 3000, now: () => clock });
    notifier.stopped();
    expect(sent).toEqual([]);
    notifier.typed();
    notifier.stopped();
    notifier.stopped();
    clock = 10;
    notifier.typed();
    expect(sent).toEqual([true, false, true]);
  });
});

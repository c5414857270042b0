// @vitest-environment happy-dom
import { act, renderHook } from "@testing-library/react";
import { afterEach, describe, expect, it, vi } from "vitest";
import { useSettled } from "./use-settled";

afterEach(() => vi.useRealTimers());

describe("useSettled", () => {
  it("takes a new value only once it has stopped changing for the delay", () => {
    vi.useFakeTimers();
    const { result, rerender } = renderHook(({ value }) => useSettled(value, 300), {
      initialProps: { value: "" },
    });
    rerender({ value: "we" });
    act(() => vi.advanceTimersByTime(200));
    rerender({ value: "web" });
    act(() => vi.advanceTimersByTime(200));
    // 400 ms since the first key, but only 200 since the last: still the old value.
    expect(result.current).toBe("");
    act(() => vi.advanceTimersByTime(100));
    expect(result.current).toBe("web");
  });
});

import { describe, expect, it } from "vitest";
import { formatUsd } from "./format";

describe("formatUsd", () => {
  it("writes dollars with cents from a cent up", () => {
    expect(formatUsd(0)).toBe("$0.00");
    expect(formatUsd(0.01)).toBe("$0.01");
    expect(formatUsd(0.5)).toBe("$0.50");
    expect(formatUsd(0.123)).toBe("$0.12");
    expect(formatUsd(12.3456)).toBe("$12.35");
    expect(formatUsd(1234.5)).toBe("$1,234.50");
  });

  it("keeps more digits only under a cent, two significant ones", () => {
    expect(formatUsd(0.0042)).toBe("$0.0042");
    expect(formatUsd(0.00421)).toBe("$0.0042");
    expect(formatUsd(0.000015)).toBe("$0.000015");
    expect(formatUsd(-0.0042)).toBe("-$0.0042");
  });

  it("starts writing cents at a cent", () => {
    expect(formatUsd(0.0099)).toBe("$0.0099");
    expect(formatUsd(0.00999)).toBe("$0.01");
  });
});

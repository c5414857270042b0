import { describe, expect, it } from "vitest";
import { deliveryEvent, deliveryStatus } from "./webhook-deliveries";

describe("webhook deliveries as listed", () => {
  it("names the event with its action when it has one", () => {
    expect(deliveryEvent({ event: "pull_request", action: "closed" })).toBe("pull_request.closed");
    expect(deliveryEvent({ event: "push", action: null })).toBe("push");
  });

  it("gives each outcome a word and a tone", () => {
    expect(deliveryStatus("processed")).toEqual({ label: "Processed", tone: "ok" });
    expect(deliveryStatus("failed").tone).toBe("danger");
    expect(deliveryStatus("received").label).toBe("Waiting");
    expect(deliveryStatus("ignored").tone).toBe("neutral");
  });
});

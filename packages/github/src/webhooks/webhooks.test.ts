import { sign } from "@octokit/webhooks-methods";
import { describe, expect, it } from "vitest";
import { checkVerdict, foldChecks } from "./handlers";
import { verifyWebhookSignature } from "./signature";

const bytes = (text: string) => new TextEncoder().encode(text);

describe("verifyWebhookSignature", () => {
  const body = JSON.stringify({ action: "opened", zen: "Non-ASCII survives: é ✓" });

  it("accepts GitHub's signature of the exact bytes (made by @octokit/webhooks-methods)", async () => {
    expect(verifyWebhookSignature("s3cret", bytes(body), await sign("s3cret", body))).toBe(true);
  });

  it("refuses another secret, another body, a missing, garbled or sha1 header", async () => {
    const signature = await sign("s3cret", body);
    expect(verifyWebhookSignature("other", bytes(body), signature)).toBe(false);
    expect(verifyWebhookSignature("s3cret", bytes(`${body} `), signature)).toBe(false);
    expect(verifyWebhookSignature("s3cret", bytes(body), undefined)).toBe(false);
    expect(verifyWebhookSignature("s3cret", bytes(body), "sha256=not-hex")).toBe(false);
    expect(verifyWebhookSignature("s3cret", bytes(body), signature.slice(0, -2))).toBe(false);
    expect(verifyWebhookSignature("s3cret", bytes(body), signature.replace("sha256=", "sha1="))).toBe(false);
  });
});

describe("checks from deliveries", () => {
  it("reads a check's verdict from its status and conclusion", () => {
    expect(checkVerdict({ status: "queued", conclusion: null })).toBe("pending");
    expect(checkVerdict({ status: "completed", conclusion: "timed_out" })).toBe("failure");
    expect(checkVerdict({ status: "completed", conclusion: "success" })).toBe("success");
    expect(checkVerdict({ status: "completed", conclusion: "skipped" })).toBe("neutral");
  });

  it("keeps a failure of the same commit, and lets neutral only fill an unknown", () => {
    expect(foldChecks("failure", "success")).toBe("failure");
    expect(foldChecks("failure", "pending")).toBe("failure");
    expect(foldChecks("pending", "success")).toBe("success");
    expect(foldChecks("success", "pending")).toBe("pending");
    expect(foldChecks("success", "neutral")).toBe("success");
    expect(foldChecks(null, "neutral")).toBe("neutral");
  });
});

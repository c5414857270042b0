import { describe, expect, it } from "vitest";
import { expiryLabel, filenameFromDisposition, groupSecret, totpSecret } from "./settings-helpers";

describe("totpSecret", () => {
  it("reads the secret out of an otpauth URI", () => {
    expect(totpSecret("otpauth://totp/Crewdeck:ada?secret=JBSWY3DPEHPK3PXP&issuer=Crewdeck")).toBe(
      "JBSWY3DPEHPK3PXP",
    );
  });

  it("is null for something that is not a URI with a secret", () => {
    expect(totpSecret("not a uri")).toBeNull();
    expect(totpSecret("otpauth://totp/Crewdeck:ada?issuer=Crewdeck")).toBeNull();
  });
});

describe("groupSecret", () => {
  it("splits the secret into groups of four", () => {
    expect(groupSecret("JBSWY3DPEHPK3PXP")).toBe("JBSW Y3DP EHPK 3PXP");
    expect(groupSecret("ABCDEF")).toBe("ABCD EF");
  });
});

describe("filenameFromDisposition", () => {
  it("takes the quoted or bare file name", () => {
    expect(filenameFromDisposition('attachment; filename="crewdeck-export-2026-02-12.json"', "x")).toBe(
      "crewdeck-export-2026-02-12.json",
    );
    expect(filenameFromDisposition("attachment; filename=data.json", "x")).toBe("data.json");
  });

  it("prefers the encoded name", () => {
    expect(
      filenameFromDisposition("attachment; filename=\"a.json\"; filename*=UTF-8''caf%C3%A9.json", "x"),
    ).toBe("café.json");
  });

  it("falls back when there is no name", () => {
    expect(filenameFromDisposition(null, "export.json")).toBe("export.json");
    expect(filenameFromDisposition("attachment", "export.json")).toBe("export.json");
  });
});

describe("expiryLabel", () => {
  const now = Date.parse("2026-02-12T12:00:00.000Z");
  it("says never for keys without an expiry", () => {
    expect(expiryLabel(null, now)).toBe("Never");
  });

  it("marks keys that have expired", () => {
    expect(expiryLabel("2026-02-01T00:00:00.000Z", now)).toMatch(/^Expired /);
    expect(expiryLabel("2026-03-01T00:00:00.000Z", now)).not.toMatch(/Expired/);
  });
});

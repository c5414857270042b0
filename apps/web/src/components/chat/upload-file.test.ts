import { describe, expect, it } from "vitest";
import { uploadFailure, uploadFile } from "./upload-file";

const json = (status: number, body: unknown) =>
  new Response(JSON.stringify(body), { status, headers: { "content-type": "application/json" } });

describe("uploadFile", () => {
  it("posts the file as multipart in the field `file` and returns the stored file", async () => {
    const seen: { url: string; form: FormData }[] = [];
    const stored = {
      id: "f1",
      filename: "a.txt",
      size: 5,
      mimeType: "text/plain",
      sha256: "x",
      url: "/api/v1/files/f1",
    };
    const fetcher = (async (url: string, init: RequestInit) => {
      seen.push({ url, form: init.body as FormData });
      return json(201, stored);
    }) as typeof fetch;
    const result = await uploadFile(fetcher, "http://server", new File(["hello"], "a.txt"));
    expect(result).toEqual(stored);
    expect(seen[0]?.url).toBe("http://server/api/v1/files");
    expect((seen[0]!.form.get("file") as File).name).toBe("a.txt");
  });

  it("fails with the server's own words", async () => {
    const fetcher = (async () =>
      json(413, {
        error: { code: "PAYLOAD_TOO_LARGE", message: "Uploads are limited to 10 bytes" },
      })) as typeof fetch;
    await expect(uploadFile(fetcher, "", new File(["hello world"], "a.txt"))).rejects.toThrow(
      "Uploads are limited to 10 bytes",
    );
  });

  it("says the server could not be reached when the request never got an answer", async () => {
    const fetcher = (async () => {
      throw new TypeError("Failed to fetch");
    }) as typeof fetch;
    await expect(uploadFile(fetcher, "", new File(["x"], "a.txt"))).rejects.toThrow(
      /Could not reach the server/,
    );
  });
});

describe("uploadFailure", () => {
  it("falls back to the status when the body says nothing", () => {
    expect(uploadFailure(413, null)).toMatch(/larger than the server accepts/);
    expect(uploadFailure(500, "<html>")).toBe("The upload failed (HTTP 500).");
  });
});

import { describe, expect, it } from "vitest";
import { RestApiError, restErrorFrom, startRunWithImage } from "./start-run-request";

describe("restErrorFrom", () => {
  it("keeps the server's message and code", () => {
    const error = restErrorFrom(409, {
      error: {
        code: "AGENT_BUSY",
        message: "The task already has an active run; cancel it or wait for it to finish",
      },
    });
    expect(error).toBeInstanceOf(RestApiError);
    expect(error.code).toBe("AGENT_BUSY");
    expect(error.status).toBe(409);
    expect(error.message).toBe("The task already has an active run; cancel it or wait for it to finish");
  });

  it("names the fields of a validation error", () => {
    const error = restErrorFrom(400, {
      error: {
        code: "VALIDATION_ERROR",
        message: "Invalid",
        details: [{ field: "image", message: "Not an image (text/plain)" }],
      },
    });
    expect(error.message).toBe("Image: Not an image (text/plain)");
  });

  it("says something useful when the body has no message", () => {
    expect(restErrorFrom(402, null).message).toMatch(/budget/i);
    expect(restErrorFrom(502, "<html>").message).toMatch(/model provider/i);
    expect(restErrorFrom(418, {}).message).toBe("The run could not be started (HTTP 418).");
  });
});

describe("startRunWithImage", () => {
  const image = new File([new Uint8Array([137, 80, 78, 71])], "shot.png", { type: "image/png" });

  it("posts the instructions and the image as one form to the task's start route", async () => {
    let seen: { url: string; body: FormData } | null = null;
    const fetcher = (async (url: string, init: RequestInit) => {
      seen = { url, body: init.body as FormData };
      return new Response(JSON.stringify({ task: { id: "t 1" }, run: { id: "r1" } }), { status: 200 });
    }) as unknown as typeof fetch;
    const result = await startRunWithImage(fetcher, "http://server", "t 1", {
      instructions: "  look  ",
      image,
    });
    expect(result.run.id).toBe("r1");
    expect(seen!.url).toBe("http://server/api/v1/tasks/t%201/start");
    expect(seen!.body.get("instructions")).toBe("look");
    expect((seen!.body.get("image") as File).name).toBe("shot.png");
  });

  it("leaves out empty instructions and throws the server's error in words", async () => {
    let body: FormData | null = null;
    const fetcher = (async (_url: string, init: RequestInit) => {
      body = init.body as FormData;
      return new Response(
        JSON.stringify({
          error: { code: "BUDGET_EXCEEDED", message: "The project's daily budget is used up" },
        }),
        {
          status: 402,
        },
      );
    }) as unknown as typeof fetch;
    await expect(startRunWithImage(fetcher, "", "t1", { instructions: " ", image })).rejects.toThrow(
      "The project's daily budget is used up",
    );
    expect(body!.has("instructions")).toBe(false);
  });
});

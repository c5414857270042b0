// Files attached to a chat message reach the model with the reply's request (only task runs passed them):
// a text file read inline, an image as a vision block, both to the agent that answers.
import type { FakeAnthropic } from "@crewdeck/engine/testing";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createCrewConversation, registerUser, startTestServerWithModel, type TestServer } from "./harness";

// A 1×1 transparent PNG.
const PNG = Buffer.from(
  "iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAQAAAC1HAwCAAAAC0lEQVR42mNkYAAAAAYAAjCB0C8AAAAASUVORK5CYII=",
  "base64",
);

describe("attachments in chat replies", () => {
  let server: TestServer;
  let fake: FakeAnthropic;
  let stop: () => Promise<void>;
  let token: string;
  let conversationId: string;

  const upload = async (bytes: Uint8Array | string, filename: string, type: string) => {
    const form = new FormData();
    form.append("file", new Blob([bytes], { type }), filename);
    const res = await fetch(`${server.url}/api/v1/files`, {
      method: "POST",
      headers: { authorization: `Bearer ${token}` },
      body: form,
    });
    expect(res.status).toBe(201);
    return ((await res.json()) as { id: string }).id;
  };

  beforeAll(async () => {
    ({ server, fake, stop } = await startTestServerWithModel());
    token = (await registerUser(server)).access_token;
    conversationId = (await createCrewConversation(server, token, ["architect"])).conversation.id;
  });
  afterAll(() => stop?.());

  it("sends a text file's content and an image to the answering agent", async () => {
    const notes = await upload("Budget: 40k\nDeadline: March\n", "notes.txt", "text/plain");
    const diagram = await upload(PNG, "diagram.png", "image/png");
    fake.enqueue({ text: "Seen both." });
    const sent = fake.requests.length;
    const res = await server.api("POST", `/conversations/${conversationId}/messages`, {
      token,
      body: { content: "What do you make of these?", attachmentIds: [notes, diagram] },
    });
    expect(res.status, JSON.stringify(res.body)).toBe(200);
    await server.deps.engine.replies.idle();
    expect(fake.requests.length - sent).toBe(1);

    const last = fake.requests.at(-1)!.body.messages.at(-1);
    expect(last.role).toBe("user");
    const blocks = last.content as Array<{ type: string; text?: string; source?: { data: string } }>;
    const text = blocks
      .filter((b) => b.type === "text")
      .map((b) => b.text)
      .join("\n");
    expect(text).toContain("What do you make of these?");
    expect(text).toContain("Budget: 40k");
    expect(text).toContain("diagram.png");
    const image = blocks.find((b) => b.type === "image");
    expect(image?.source?.data).toBe(PNG.toString("base64"));
  });

  it("does not send a file again with a later message", async () => {
    fake.enqueue({ text: "Fine." });
    await server.api("POST", `/conversations/${conversationId}/messages`, {
      token,
      body: { content: "And now, without files?" },
    });
    await server.deps.engine.replies.idle();
    const last = fake.requests.at(-1)!.body.messages.at(-1);
    expect(JSON.stringify(last)).not.toContain("Budget: 40k");
    expect(JSON.stringify(last)).toContain("without files?");
  });
});

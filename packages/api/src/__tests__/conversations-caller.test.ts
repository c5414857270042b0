// Project-scoped conversations through `createCaller` on an inner context: the logic of the
// `conversations.project.*` twins without HTTP (the REST contract is apps/server's suites').
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createInnerContext } from "../context";
import { createCaller } from "../root";
import { createInnerDeps } from "./inner-deps";

let inner: Awaited<ReturnType<typeof createInnerDeps>>;

beforeAll(async () => {
  inner = await createInnerDeps();
});
afterAll(async () => {
  await inner?.close();
});

/** A caller signed in as a newly registered person, by bearer token as any client would be. */
async function signedInCaller(name: string) {
  const anonymous = createCaller(createInnerContext(inner.deps));
  const tokens = await anonymous.auth.register({
    email: `${name}@example.test`,
    username: name,
    password: "correct horse battery",
  });
  if (!("access_token" in tokens)) throw new Error("no mailer here: registration signs in at once");
  const headers = new Headers({ authorization: `Bearer ${tokens.access_token}` });
  return createCaller(createInnerContext(inner.deps, { headers }));
}

describe("conversations.project", () => {
  it("lists and reads a project's conversations, and finds none of another project's", async () => {
    const owner = await signedInCaller("owner");
    const alpha = await owner.projects.create({ name: "Alpha" });
    const beta = await owner.projects.create({ name: "Beta" });

    const created = await owner.conversations.project.create({ projectId: alpha.id, title: "Kick-off" });
    expect(created.projectId).toBe(alpha.id);

    const page = await owner.conversations.project.list({ projectId: alpha.id });
    expect(page.items.map((c) => c.id)).toEqual([created.id]);
    expect((await owner.conversations.project.list({ projectId: beta.id })).items).toEqual([]);

    const read = await owner.conversations.project.get({ projectId: alpha.id, conversationId: created.id });
    expect(read.id).toBe(created.id);
    await expect(
      owner.conversations.project.get({ projectId: beta.id, conversationId: created.id }),
    ).rejects.toMatchObject({ code: "NOT_FOUND" });
  });

  it("hides a project from someone who is not a member", async () => {
    const owner = await signedInCaller("owner2");
    const outsider = await signedInCaller("outsider");
    const project = await owner.projects.create({ name: "Private" });
    await expect(outsider.conversations.project.list({ projectId: project.id })).rejects.toMatchObject({
      code: "NOT_FOUND",
    });
  });
});

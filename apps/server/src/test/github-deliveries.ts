// GitHub's webhook deliveries as a test sends them: GitHub's own example payloads (@octokit/webhooks-examples),
// signed with the test secret, posted to a server over HTTP; and the repository they name, linked to a project.
import { randomUUID } from "node:crypto";
import { createRequire } from "node:module";
import { type Database, schema } from "@crewdeck/db";
import { sign } from "@octokit/webhooks-methods";

export const SECRET = "webhook-secret-for-tests";
export const REPOSITORY = { githubId: 186853002, fullName: "Codertocat/Hello-World", name: "Hello-World" };

// biome-ignore lint/suspicious/noExplicitAny: GitHub's payloads, read and tweaked field by field
export type Payload = any;
type Definition = { name: string; examples: Payload[] };

const definitions = createRequire(import.meta.url)("@octokit/webhooks-examples") as Definition[];

/** A fresh copy of the first example of `event` (with `action`, when given) that `pick` accepts. */
export function example(event: string, action?: string, pick: (p: Payload) => boolean = () => true): Payload {
  const found = definitions
    .find((d) => d.name === event)
    ?.examples.find((p) => (action === undefined || p.action === action) && pick(p));
  if (!found) throw new Error(`no example of ${event}.${action}`);
  return structuredClone(found);
}

export type Delivery = { status: number; body: Payload; deliveryId: string };

export async function deliver(
  baseUrl: string,
  event: string,
  payload: Payload,
  opts: { deliveryId?: string; secret?: string; signature?: string | null } = {},
): Promise<Delivery> {
  const body = JSON.stringify(payload);
  const deliveryId = opts.deliveryId ?? randomUUID();
  const signature = opts.signature === undefined ? await sign(opts.secret ?? SECRET, body) : opts.signature;
  const res = await fetch(`${baseUrl}/api/v1/webhooks/github`, {
    method: "POST",
    headers: {
      "content-type": "application/json",
      "x-github-event": event,
      "x-github-delivery": deliveryId,
      "user-agent": "GitHub-Hookshot/test",
      ...(signature === null ? {} : { "x-hub-signature-256": signature }),
    },
    body,
  });
  const text = await res.text();
  return { status: res.status, body: text ? JSON.parse(text) : undefined, deliveryId };
}

/** Links the example payloads' repository to `projectId`. */
export async function linkRepository(db: Database, projectId: string) {
  const [row] = await db
    .insert(schema.projectRepositories)
    .values({
      projectId,
      githubId: REPOSITORY.githubId,
      name: REPOSITORY.name,
      fullName: REPOSITORY.fullName,
      type: "backend",
    })
    .returning();
  return row!;
}

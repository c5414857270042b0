// An open event stream lives only as long as the credential it was opened with: logging out everywhere,
// revoking the session, a ban, deleting the API key or the account end both the raw SSE route and the tRPC
// subscription within seconds, with the error a new request would get. A refresh (which rotates the
// session) does not. And one person holds at most MAX_EVENT_STREAMS_PER_USER streams at once.
import type { AppRouter } from "@crewdeck/api";
import { TRPCClientError } from "@trpc/client";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { apiAs, registerUser, startTestServer, type TestServer, type TestUser } from "./harness";
import { eventually, openRawStream, sleep, subscribeEvents } from "./live-events";

type Credential = Record<string, string>;

const RECHECK_MS = 300;
const MAX_STREAMS = 4;
/** How soon a stream must end after its credential dies: a few of its checks, with room for a loaded machine. */
const ENDS_WITHIN_MS = 5_000;

const bearer = (token: string): Credential => ({ authorization: `Bearer ${token}` });

describe("event streams and their credentials", () => {
  let server: TestServer;
  let admin: TestUser;

  const call = async (credential: Credential, method: string, path: string, body?: unknown) => {
    const res = await server.api(method, path, { headers: credential, body });
    if (res.status >= 300) throw new Error(`${method} ${path}: ${res.status} ${JSON.stringify(res.body)}`);
    return res.body;
  };

  /** An event only `userId` may see, so a stream of theirs that still delivers would show it. */
  const publishFor = (userId: string, message: string) =>
    server.deps.engine.bus.publish({
      type: "error",
      scope: { userId },
      payload: { code: "PROBE", message, details: null },
    });
  const messagesOf = (events: { type: string; payload: unknown }[]) =>
    events.flatMap((e) => (e.type === "error" ? [(e.payload as { message: string }).message] : []));

  /** One raw stream and one tRPC subscription on the same credential, both shown to be delivering. */
  async function openBoth(userId: string, credential: Credential) {
    const raw = await openRawStream(server.url, credential);
    expect(raw.res.status).toBe(200);
    const sub = subscribeEvents(server.url, credential, {});
    await sub.started;
    await publishFor(userId, "before");
    await eventually(() => expect(messagesOf(raw.events())).toEqual(["before"]));
    await eventually(() => expect(messagesOf(sub.events())).toEqual(["before"]));
    return { raw, sub };
  }

  /** Both end, soon, with `code`; and nothing published afterwards reaches either. */
  async function expectBothEnded(
    userId: string,
    { raw, sub }: Awaited<ReturnType<typeof openBoth>>,
    code: "UNAUTHORIZED" | "FORBIDDEN",
    { accountGone = false } = {},
  ) {
    const started = Date.now();
    expect(await raw.ended).toBe(true);
    const last = raw.frames.at(-1);
    expect(last?.event).toBe("error");
    expect(last?.id).toBeUndefined();
    expect(JSON.parse(last?.data ?? "{}")).toMatchObject({
      error: { code, message: expect.any(String), requestId: expect.any(String) },
    });
    const [error] = await eventually(() => {
      if (sub.errors.length === 0) throw new Error("the subscription is still open");
      return sub.errors;
    }, ENDS_WITHIN_MS);
    expect(Date.now() - started).toBeLessThan(ENDS_WITHIN_MS);
    expect(error).toBeInstanceOf(TRPCClientError);
    expect((error as TRPCClientError<AppRouter>).data?.error).toMatchObject({ code });

    // (An account that is gone can be sent nothing.)
    if (!accountGone) {
      await publishFor(userId, "after");
      await sleep(RECHECK_MS * 2);
      expect(messagesOf(raw.events())).toEqual(["before"]);
      expect(messagesOf(sub.events())).toEqual(["before"]);
    }
    sub.unsubscribe();
    await raw.close();
    // Their slots are free again.
    await eventually(() => expect(server.deps.eventStreams.count(userId)).toBe(0));
  }

  const login = async (user: TestUser) =>
    (await call({}, "POST", "/auth/login", { username: user.username, password: user.password })) as {
      access_token: string;
      refresh_token: string;
    };

  beforeAll(async () => {
    server = await startTestServer({
      EVENT_STREAM_RECHECK_MS: String(RECHECK_MS),
      MAX_EVENT_STREAMS_PER_USER: String(MAX_STREAMS),
      RATE_LIMIT_REGISTER_MAX: "1000",
      RATE_LIMIT_LOGIN_MAX: "1000",
    });
    admin = await registerUser(server); // the first account is the site admin
  });

  afterAll(async () => {
    await server?.stop();
  });

  it("ends both streams of an access token once its owner logs out everywhere", async () => {
    const user = await registerUser(server);
    const streams = await openBoth(user.user.id, bearer(user.access_token));
    const other = await login(user);
    await call(bearer(other.access_token), "POST", "/auth/logout", { allDevices: true });
    await expectBothEnded(user.user.id, streams, "UNAUTHORIZED");
  });

  it("ends both streams of a session once it is revoked from another session", async () => {
    const user = await registerUser(server);
    const streams = await openBoth(user.user.id, bearer(user.access_token));
    const other = await login(user);
    const { items } = await call(bearer(other.access_token), "GET", "/auth/sessions");
    const revoked = (items as { id: string; current: boolean }[]).filter((s) => !s.current);
    expect(revoked).toHaveLength(1);
    await call(bearer(other.access_token), "DELETE", `/auth/sessions/${revoked[0]?.id}`);
    await expectBothEnded(user.user.id, streams, "UNAUTHORIZED");
    // The other session's streams are untouched.
    const kept = await openBoth(user.user.id, bearer(other.access_token));
    kept.sub.unsubscribe();
    await kept.raw.close();
  });

  it("ends both streams of someone an administrator bans", async () => {
    const user = await registerUser(server);
    const streams = await openBoth(user.user.id, bearer(user.access_token));
    await call(bearer(admin.access_token), "PATCH", `/admin/users/${user.user.id}`, { banned: true });
    await expectBothEnded(user.user.id, streams, "FORBIDDEN");
  });

  it("ends both streams of an API key once the key is deleted", async () => {
    const user = await registerUser(server);
    const key = await call(bearer(user.access_token), "POST", "/api-keys", { name: "stream" });
    const streams = await openBoth(user.user.id, { "x-api-key": key.key });
    await call(bearer(user.access_token), "DELETE", `/api-keys/${key.id}`);
    await expectBothEnded(user.user.id, streams, "UNAUTHORIZED");
  });

  it("ends both streams of an account once it is deleted", async () => {
    const user = await registerUser(server);
    const key = await call(bearer(user.access_token), "POST", "/api-keys", { name: "stream" });
    const byToken = await openBoth(user.user.id, bearer(user.access_token));
    const byKey = await openBoth(user.user.id, { "x-api-key": key.key });
    await call(bearer(user.access_token), "DELETE", "/users/me", { password: user.password });
    await expectBothEnded(user.user.id, byToken, "UNAUTHORIZED", { accountGone: true });
    await expectBothEnded(user.user.id, byKey, "UNAUTHORIZED", { accountGone: true });
  });

  it("ends a stream whose session another server process removed (no signal reaches this one)", async () => {
    const user = await registerUser(server);
    const streams = await openBoth(user.user.id, bearer(user.access_token));
    // Straight in the database, as another process sharing it would.
    await server.deps.db.$client.execute({
      sql: "DELETE FROM sessions WHERE user_id = ?",
      args: [user.user.id],
    });
    await expectBothEnded(user.user.id, streams, "UNAUTHORIZED");
  });

  it("ends at once, without waiting for its next check, when asked to recheck its owner's streams", async () => {
    const patient = await startTestServer({ EVENT_STREAM_RECHECK_MS: "600000" });
    try {
      const user = await registerUser(patient);
      const raw = await openRawStream(patient.url, bearer(user.access_token));
      expect(raw.res.status).toBe(200);
      await patient.deps.db.$client.execute({
        sql: "DELETE FROM sessions WHERE user_id = ?",
        args: [user.user.id],
      });
      patient.deps.eventStreams.recheckUser(user.user.id);
      const started = Date.now();
      expect(await raw.ended).toBe(true);
      expect(Date.now() - started).toBeLessThan(2_000);
      expect(raw.frames.at(-1)?.event).toBe("error");
    } finally {
      await patient.stop();
    }
  });

  it("ends at once when the credential dies through the API: logout everywhere, revoke, ban, key or account deletion", async () => {
    const patient = await startTestServer({ EVENT_STREAM_RECHECK_MS: "600000", SIGNUP_MODE: "open" });
    const endsPromptly = async (credential: Credential, kill: () => Promise<unknown>) => {
      const raw = await openRawStream(patient.url, credential);
      expect(raw.res.status).toBe(200);
      await kill();
      const started = Date.now();
      expect(await raw.ended).toBe(true);
      expect(Date.now() - started).toBeLessThan(2_000);
      expect(raw.frames.at(-1)?.event).toBe("error");
    };
    const as = apiAs(() => patient);
    try {
      const root = await registerUser(patient);
      const a = await registerUser(patient);
      await endsPromptly(bearer(a.access_token), () => as(a, "POST", "/auth/logout", { allDevices: true }));
      const b = await registerUser(patient);
      const { items } = (await as(b, "GET", "/auth/sessions")).body;
      await endsPromptly(bearer(b.access_token), () => as(b, "DELETE", `/auth/sessions/${items[0].id}`));
      const c = await registerUser(patient);
      await endsPromptly(bearer(c.access_token), () =>
        as(root, "PATCH", `/admin/users/${c.user.id}`, { banned: true }),
      );
      const d = await registerUser(patient);
      const key = (await as(d, "POST", "/api-keys", { name: "stream" })).body;
      await endsPromptly({ "x-api-key": key.key }, () => as(d, "DELETE", `/api-keys/${key.id}`));
      await endsPromptly(bearer(d.access_token), () =>
        as(d, "DELETE", "/users/me", { password: d.password }),
      );
    } finally {
      await patient.stop();
    }
  });

  it("keeps a stream open across a refresh, though the refresh retires the session its access token named", async () => {
    const user = await registerUser(server);
    const streams = await openBoth(user.user.id, bearer(user.access_token));
    const refreshed = await call({}, "POST", "/auth/refresh", { refresh_token: user.refresh_token });
    expect(refreshed.access_token).toEqual(expect.any(String));
    // The old access token no longer opens anything, but the sign-in it belongs to goes on.
    expect((await server.api("GET", "/auth/me", { token: user.access_token })).status).toBe(401);
    await sleep(RECHECK_MS * 4);
    await publishFor(user.user.id, "still here");
    await eventually(() => expect(messagesOf(streams.raw.events())).toEqual(["before", "still here"]));
    await eventually(() => expect(messagesOf(streams.sub.events())).toEqual(["before", "still here"]));
    expect(streams.sub.errors).toEqual([]);
    streams.sub.unsubscribe();
    await streams.raw.close();
  });

  it("answers 429 to one stream more than a person may hold, across both transports, and frees slots as streams close", async () => {
    const user = await registerUser(server);
    const credential = bearer(user.access_token);
    const first = await openRawStream(server.url, credential);
    const second = subscribeEvents(server.url, credential, {});
    await second.started;
    const third = await openRawStream(server.url, credential);
    const fourth = subscribeEvents(server.url, credential, {});
    await fourth.started;
    expect([first.res.status, third.res.status]).toEqual([200, 200]);
    expect(server.deps.eventStreams.count(user.user.id)).toBe(MAX_STREAMS);

    const refusedRaw = await openRawStream(server.url, credential);
    expect(refusedRaw.res.status).toBe(429);
    expect(await refusedRaw.res.json()).toMatchObject({
      error: { code: "RATE_LIMIT_EXCEEDED", message: expect.any(String), requestId: expect.any(String) },
    });
    const refusedTrpc = subscribeEvents(server.url, credential, {});
    const [error] = await eventually(() => {
      if (refusedTrpc.errors.length === 0) throw new Error("no error yet");
      return refusedTrpc.errors;
    });
    refusedTrpc.unsubscribe();
    expect((error as TRPCClientError<AppRouter>).data).toMatchObject({
      httpStatus: 429,
      error: { code: "RATE_LIMIT_EXCEEDED" },
    });
    // Someone else is not affected.
    const other = await registerUser(server);
    const theirs = await openRawStream(server.url, bearer(other.access_token));
    expect(theirs.res.status).toBe(200);
    await theirs.close();

    // Closing a raw stream and a subscription frees their slots.
    await first.close();
    second.unsubscribe();
    await eventually(() => expect(server.deps.eventStreams.count(user.user.id)).toBe(MAX_STREAMS - 2));
    const again = [await openRawStream(server.url, credential), await openRawStream(server.url, credential)];
    expect(again.map((s) => s.res.status)).toEqual([200, 200]);
    fourth.unsubscribe();
    for (const stream of [third, ...again]) await stream.close();
  });
});

// Socket.IO on the HTTP server's port for the seeds' clients: seed 001's protocol at `/socket.io`, seed
// 004's rooms at `/api/socket.io`. Authenticated by `auth: { token }` (access token or API key) or the
// session cookie; each connection holds one of the person's event streams (the same feed, visibility and
// credential checks as SSE), and ends with an `error` event when its credential dies. With Redis, the
// Redis Streams adapter lets a dropped client resume on any server (see `attachSocketIo`).
import type { Server as HttpServer } from "node:http";
import { type ApiDeps, ApiError, checkAgentRoom, checkConversationRoom, createCaller } from "@crewdeck/api";
import { schema } from "@crewdeck/db";
import { type AnyBusEvent, createRedisConnection, type Redis } from "@crewdeck/engine";
import { createAdapter } from "@socket.io/redis-streams-adapter";
import { eq } from "drizzle-orm";
import { Server, type Socket } from "socket.io";
import { uuidv7 } from "uuidv7";
import {
  authenticateHandshake,
  type GatewayCaller,
  type GatewayError,
  gatewayError,
  messageAllowance,
  openGatewayFeed,
  resumeRequest,
} from "./connection";
import { CONVERSATION_EVENTS, toSeed001 } from "./seed-001";
import { parseRoom, toSeed004 } from "./seed-004";

type Protocol = "seed001" | "seed004";

/**
 * What Socket.IO's connection state recovery keeps for a client that reconnects within RECOVERY_MS:
 * `socket.data`, which the Redis adapter stores (MessagePack) for whichever server the client comes back
 * to, so it holds plain values only. `lastEventId` is the last event this connection emitted (or passed
 * over): Socket.IO replays the packets emitted up to it that the client missed, and the resumed feed starts
 * after it, so an event comes back through one path or the other, never both.
 */
type SessionData = { joined: string[]; lastEventId: string | null };

/** What a connection holds in this process only. */
type Live = {
  caller: GatewayCaller;
  stop: AbortController;
  ready: (socket: Socket) => void;
};

/** How long a dropped client may take to reconnect and resume where it was. */
const RECOVERY_MS = 2 * 60_000;

/** Socket.IO's error for a refused handshake; the client reads it as `connect_error` (`err.data`). */
function refusal(error: GatewayError): Error & { data: GatewayError } {
  return Object.assign(new Error(error.message), { data: error });
}

const asObject = (value: unknown): Record<string, unknown> =>
  value && typeof value === "object" ? (value as Record<string, unknown>) : {};

function lookups(db: ApiDeps["db"]) {
  const task = async (taskId: string) =>
    (await db.query.tasks.findFirst({
      where: eq(schema.tasks.id, taskId),
      columns: { title: true, createdAt: true },
    })) ?? null;
  return {
    taskTitle: async (id: string) => (await task(id))?.title ?? null,
    taskCreatedAt: async (id: string) => (await task(id))?.createdAt.toISOString() ?? null,
  };
}

/** A set of names kept in `session.joined`, so the session holds what was joined as it changes. */
function joinedRooms(session: SessionData) {
  return {
    has: (name: string) => session.joined.includes(name),
    add: (name: string) => {
      if (!session.joined.includes(name)) session.joined.push(name);
    },
    delete: (name: string) => {
      const at = session.joined.indexOf(name);
      if (at >= 0) session.joined.splice(at, 1);
    },
  };
}
type Joined = ReturnType<typeof joinedRooms>;

/**
 * Emits a connection's events in order, each once: none after the connection closed (its session, and
 * with it `lastEventId`, was stored at that moment; the feed on the next connection sends the rest), and
 * `lastEventId` moves with each event emitted or passed over, in the same tick.
 */
function emitter(socket: Socket, session: SessionData) {
  let queue = Promise.resolve();
  return (event: AnyBusEvent, prepare: () => Promise<{ name: string; data: unknown } | null>) => {
    queue = queue.then(async () => {
      if (!socket.connected) return;
      const out = await prepare().catch(() => null);
      if (!socket.connected) return;
      session.lastEventId = event.id;
      if (out) socket.emit(out.name, out.data);
    });
  };
}

function attach(
  httpServer: HttpServer,
  deps: ApiDeps,
  path: string,
  protocol: Protocol,
  adapter: ReturnType<typeof createAdapter> | undefined,
): Server {
  const io = new Server(httpServer, {
    path,
    serveClient: false,
    // The other Socket.IO path and /ws upgrade on the same server: leave their handshakes alone.
    destroyUpgrade: false,
    connectionStateRecovery: { maxDisconnectionDuration: RECOVERY_MS, skipMiddlewares: false },
    ...(adapter ? { adapter } : {}),
  });
  const find = lookups(deps.db);
  const live = new WeakMap<Socket, Live>();

  io.use(async (socket, next) => {
    const auth = asObject(socket.handshake.auth);
    const token = typeof auth.token === "string" && auth.token ? auth.token : undefined;
    let caller: GatewayCaller | undefined;
    try {
      caller = await authenticateHandshake(deps, socket.request, token);
      const previous = socket.recovered ? (socket.data as Partial<SessionData>) : undefined;
      const session: SessionData = {
        joined: Array.isArray(previous?.joined) ? previous.joined.map(String) : [],
        lastEventId: typeof previous?.lastEventId === "string" ? previous.lastEventId : null,
      };
      // A recovered session resumes where its packets end (Socket.IO replays those); an id the client
      // sends may be older, and would deliver the replayed events again.
      const request = resumeRequest(
        previous ? session.lastEventId : (auth.lastEventId ?? auth.last_event_id ?? null),
      );
      const stop = new AbortController();
      // Events that arrive before the connection is complete wait for it, in order.
      const early: AnyBusEvent[] = [];
      let deliver: (event: AnyBusEvent) => void = (event) => early.push(event);
      let endedEarly: GatewayError | null | undefined;
      let end: (error: GatewayError | null) => void = (error) => {
        endedEarly = error;
      };
      await openGatewayFeed(
        caller,
        request,
        stop.signal,
        (event) => deliver(event),
        (error) => end(error),
      );
      live.set(socket, {
        caller,
        stop,
        ready: (connected) => {
          const joined = joinedRooms(session);
          const emit = emitter(connected, session);
          const send =
            protocol === "seed001"
              ? seed001(connected, caller!, find, joined, emit)
              : seed004(connected, caller!, find, joined, emit);
          deliver = send;
          end = (error) => {
            if (error) connected.emit("error", error);
            connected.disconnect(true);
          };
          for (const event of early.splice(0)) send(event);
          if (endedEarly !== undefined) end(endedEarly);
        },
      });
      socket.data = session;
      next();
    } catch (error) {
      next(refusal(gatewayError(error, caller?.ctx.requestId ?? uuidv7())));
    }
  });

  io.on("connection", (socket) => {
    const data = live.get(socket);
    if (!data) return socket.disconnect(true);
    socket.on("disconnect", () => data.stop.abort());
    const allowance = messageAllowance();
    // Seed 001: 100 messages per minute per connection; the rest are refused with an `error` event.
    socket.use((_packet, next) => {
      if (allowance.take()) return next();
      socket.emit("error", {
        code: "RATE_LIMIT_EXCEEDED",
        message: "Too many messages on this connection: at most 100 a minute",
        details: { limit: 100, retryAfterSeconds: allowance.retryAfterSeconds() },
        requestId: data.caller.ctx.requestId,
      });
    });
    data.ready(socket);
  });
  return io;
}

type Lookups = ReturnType<typeof lookups>;
type Emit = ReturnType<typeof emitter>;

/** Runs a client's request; its failure goes back as the contract's error (`error` event, or the ack). */
function handle(
  socket: Socket,
  caller: GatewayCaller,
  run: (input: Record<string, unknown>) => Promise<unknown>,
) {
  return (input: unknown, ack?: unknown) => {
    const reply = typeof ack === "function" ? (ack as (answer: unknown) => void) : null;
    caller
      .within(() => run(asObject(input)))
      .then(
        (result) => reply?.({ ok: true, ...(result && typeof result === "object" ? { data: result } : {}) }),
        (error) => {
          const contract = gatewayError(error, caller.ctx.requestId);
          socket.emit("error", { ...contract, details: contract.details ?? {} });
          reply?.({ error: contract });
        },
      );
  };
}

/** Seed 001 ("WebSocket API"): conversations joined by id; account-wide events to every connection. */
function seed001(socket: Socket, caller: GatewayCaller, find: Lookups, joined: Joined, emit: Emit) {
  const { db, viewer } = caller.ctx;
  const id = (input: Record<string, unknown>) => String(input.conversation_id ?? "");
  const api = () => createCaller(caller.forWrite());

  socket.on(
    "join_conversation",
    handle(socket, caller, async (input) => {
      // Joined at once, so nothing published while the check runs is missed: a room only narrows the
      // events the feed lets through (visibility), so this shows nothing the person may not see.
      const conversationId = id(input);
      const already = joined.has(conversationId);
      joined.add(conversationId);
      try {
        await checkConversationRoom(db, conversationId, viewer.user.id);
      } catch (error) {
        if (!already) joined.delete(conversationId);
        throw error;
      }
    }),
  );
  socket.on(
    "leave_conversation",
    handle(socket, caller, async (input) => {
      joined.delete(id(input));
    }),
  );
  socket.on(
    "send_message",
    handle(socket, caller, (input) =>
      api().conversations.messages.create({
        conversationId: id(input),
        content: input.content as string,
        replyTo: (input.reply_to as string | null | undefined) ?? null,
      }),
    ),
  );
  socket.on(
    "typing",
    handle(socket, caller, (input) =>
      api().conversations.typing({ conversationId: id(input), isTyping: input.is_typing as boolean }),
    ),
  );

  return (event: AnyBusEvent) =>
    emit(event, async () =>
      CONVERSATION_EVENTS.has(event.type) && !joined.has(event.scope.conversationId ?? "")
        ? null
        : toSeed001(event, find),
    );
}

/** Seed 004 (4.1): `join` / `leave` a room `agent_<id>` or `user_<id>`; events go to the rooms joined. */
function seed004(socket: Socket, caller: GatewayCaller, find: Lookups, joined: Joined, emit: Emit) {
  const { db, viewer } = caller.ctx;
  const room = async (input: Record<string, unknown>) => {
    const parsed = parseRoom(input.room);
    if (!parsed) {
      throw new ApiError("VALIDATION_ERROR", "A room is named agent_<id> or user_<id>", [
        { field: "room", message: "Expected agent_<id> or user_<id>" },
      ]);
    }
    if (parsed.kind === "user") {
      if (parsed.id !== viewer.user.id) throw new ApiError("RESOURCE_NOT_FOUND", "User not found");
    } else await checkAgentRoom(db, parsed.id, viewer.user.id);
  };
  socket.on(
    "join",
    handle(socket, caller, async (input) => {
      // Joined at once, as a conversation is (see seed001), and left again if refused.
      const name = typeof input.room === "string" ? input.room : "";
      const already = joined.has(name);
      joined.add(name);
      try {
        await room(input);
      } catch (error) {
        if (!already) joined.delete(name);
        throw error;
      }
    }),
  );
  socket.on(
    "leave",
    handle(socket, caller, async (input) => {
      joined.delete(String(input.room ?? ""));
    }),
  );

  return (event: AnyBusEvent) =>
    emit(event, async () => {
      const out = await toSeed004(event, viewer.user.id, find);
      return out?.rooms.some((r) => joined.has(r)) ? out : null;
    });
}

/**
 * Both Socket.IO endpoints on `httpServer`; `close` ends every connection. With `redisUrl`, each endpoint
 * uses the Redis Streams adapter: every packet a server emits is appended to the endpoint's stream
 * (`crewdeck:socket.io:<protocol>`, about 10,000 kept) and a dropped connection's session is stored under
 * `crewdeck:socket.io:<protocol>:session:<pid>` for RECOVERY_MS, so a client that comes back on another
 * server gets the packets it missed there (`socket.recovered`). Polling still needs sticky sessions
 * (README, "Scaling out"): the handshake's requests must reach the server that holds it.
 */
export function attachSocketIo(httpServer: HttpServer, deps: ApiDeps, options: { redisUrl?: string } = {}) {
  const redis: Redis | null = options.redisUrl ? createRedisConnection(options.redisUrl) : null;
  // ioredis reconnects by itself; the adapter's commands wait for it meanwhile.
  redis?.on("error", () => {});
  const adapterFor = (protocol: Protocol) =>
    redis
      ? createAdapter(redis, {
          streamName: `crewdeck:socket.io:${protocol}`,
          channelPrefix: `crewdeck:socket.io:${protocol}`,
          sessionKeyPrefix: `crewdeck:socket.io:${protocol}:session:`,
        })
      : undefined;
  const servers = [
    attach(httpServer, deps, "/socket.io", "seed001", adapterFor("seed001")),
    attach(httpServer, deps, "/api/socket.io", "seed004", adapterFor("seed004")),
  ];
  return {
    close: async () => {
      for (const io of servers) {
        io.disconnectSockets(true);
        io.of("/").adapter.close();
      }
      redis?.disconnect();
    },
  };
}

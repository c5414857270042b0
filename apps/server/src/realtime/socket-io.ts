// Socket.IO on the HTTP server's port for the seeds' clients: seed 001's protocol at `/socket.io`, seed
// 004's rooms at `/api/socket.io`. Authenticated by `auth: { token }` (access token or API key) or the
// session cookie; each connection holds one of the person's event streams (the same feed, visibility and
// credential checks as SSE), and ends with an `error` event when its credential dies.
import type { Server as HttpServer } from "node:http";
import { type ApiDeps, ApiError, checkAgentRoom, checkConversationRoom, createCaller } from "@crewdeck/api";
import { schema } from "@crewdeck/db";
import type { AnyBusEvent } from "@crewdeck/engine";
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
 * What a connection keeps. Socket.IO's connection state recovery keeps `socket.data` for a client that
 * reconnects within RECOVERY_MS, so `joined` and `lastEventId` (the feed's position) carry over: the feed
 * resumes after the last event it handed over, and the packets sent meanwhile are replayed by Socket.IO.
 */
type SocketData = {
  caller: GatewayCaller;
  stop: AbortController;
  ready: (socket: Socket) => void;
  joined: Set<string>;
  position: { lastEventId: string | null };
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

function attach(httpServer: HttpServer, deps: ApiDeps, path: string, protocol: Protocol): Server {
  const io = new Server(httpServer, {
    path,
    serveClient: false,
    // The other Socket.IO path and /ws upgrade on the same server: leave their handshakes alone.
    destroyUpgrade: false,
    connectionStateRecovery: { maxDisconnectionDuration: RECOVERY_MS, skipMiddlewares: false },
  });
  const find = lookups(deps.db);

  io.use(async (socket, next) => {
    const auth = asObject(socket.handshake.auth);
    const token = typeof auth.token === "string" && auth.token ? auth.token : undefined;
    let caller: GatewayCaller | undefined;
    try {
      caller = await authenticateHandshake(deps, socket.request, token);
      const previous = socket.recovered ? (socket.data as Partial<SocketData>) : undefined;
      const position = { lastEventId: previous?.position?.lastEventId ?? null };
      const joined = previous?.joined ?? new Set<string>();
      const request = resumeRequest(auth.lastEventId ?? auth.last_event_id ?? position.lastEventId);
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
        (event) => {
          position.lastEventId = event.id;
          deliver(event);
        },
        (error) => end(error),
      );
      const data: SocketData = {
        caller,
        stop,
        joined,
        position,
        ready: (connected) => {
          const send =
            protocol === "seed001"
              ? seed001(connected, caller!, find, joined)
              : seed004(connected, caller!, find, joined);
          deliver = send;
          end = (error) => {
            if (error) connected.emit("error", error);
            connected.disconnect(true);
          };
          for (const event of early.splice(0)) send(event);
          if (endedEarly !== undefined) end(endedEarly);
        },
      };
      socket.data = data;
      next();
    } catch (error) {
      next(refusal(gatewayError(error, caller?.ctx.requestId ?? uuidv7())));
    }
  });

  io.on("connection", (socket) => {
    const data = socket.data as SocketData;
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
function seed001(socket: Socket, caller: GatewayCaller, find: Lookups, joined: Set<string>) {
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

  let queue = Promise.resolve();
  return (event: AnyBusEvent) => {
    if (CONVERSATION_EVENTS.has(event.type) && !joined.has(event.scope.conversationId ?? "")) return;
    // In order, even when an event needs a look-up first.
    queue = queue.then(async () => {
      const out = await toSeed001(event, find).catch(() => null);
      if (out) socket.emit(out.name, out.data);
    });
  };
}

/** Seed 004 (4.1): `join` / `leave` a room `agent_<id>` or `user_<id>`; events go to the rooms joined. */
function seed004(socket: Socket, caller: GatewayCaller, find: Lookups, joined: Set<string>) {
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

  let queue = Promise.resolve();
  return (event: AnyBusEvent) => {
    queue = queue.then(async () => {
      const out = await toSeed004(event, viewer.user.id, find).catch(() => null);
      if (out?.rooms.some((r) => joined.has(r))) socket.emit(out.name, out.data);
    });
  };
}

/** Both Socket.IO endpoints on `httpServer`; `close` ends every connection. */
export function attachSocketIo(httpServer: HttpServer, deps: ApiDeps) {
  const servers = [
    attach(httpServer, deps, "/socket.io", "seed001"),
    attach(httpServer, deps, "/api/socket.io", "seed004"),
  ];
  return {
    close: async () => {
      for (const io of servers) io.disconnectSockets(true);
    },
  };
}

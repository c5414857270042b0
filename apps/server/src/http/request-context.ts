// Per-request facts every route needs: the request id and the caller's address.

import { CLIENT_IP_HEADER } from "@crewdeck/auth";
import { getConnInfo } from "@hono/node-server/conninfo";
import type { Context, MiddlewareHandler } from "hono";
import proxyaddr from "proxy-addr";
import { uuidv7 } from "uuidv7";
import type { TrustProxy } from "../env";

export type AppVariables = { requestId: string; clientIp: string | null };
export type AppEnv = { Variables: AppVariables };

const CLIENT_REQUEST_ID = /^[\w.:-]{1,128}$/;

/** Which hops of `X-Forwarded-For` to believe (`i` counts from the socket's peer, 0); null for none. */
function compileTrust(trust: TrustProxy): ((address: string, i: number) => boolean) | null {
  if (trust === false || trust === 0) return null;
  if (typeof trust === "number") return (_address, i) => i < trust;
  return proxyaddr.compile(trust);
}

export const requestContext = (opts: { trustProxy: TrustProxy }): MiddlewareHandler<AppEnv> => {
  const trust = compileTrust(opts.trustProxy);
  return async (c, next) => {
    const given = c.req.header("x-request-id");
    const requestId = given && CLIENT_REQUEST_ID.test(given) ? given : uuidv7();
    c.set("requestId", requestId);
    let socketAddress: string | undefined;
    try {
      socketAddress = getConnInfo(c).remote.address;
    } catch {
      socketAddress = undefined;
    }
    // Walks X-Forwarded-For from the right, past the trusted proxies, to the first address none of them is.
    const forwardedFor = c.req.header("x-forwarded-for");
    const clientIp =
      trust && socketAddress && forwardedFor
        ? proxyaddr(
            {
              headers: { "x-forwarded-for": forwardedFor },
              socket: { remoteAddress: socketAddress },
            } as unknown as Parameters<typeof proxyaddr>[0],
            trust,
          )
        : socketAddress;
    c.set("clientIp", clientIp || null);
    await next();
    c.header("X-Request-Id", requestId);
  };
};

/**
 * The request as handed to the API and better-auth: the client address travels in an internal header
 * that a client cannot forge (whatever it sent under that name is replaced).
 */
export function forwardedRequest(c: Context<AppEnv>): Request {
  const headers = new Headers(c.req.raw.headers);
  headers.delete(CLIENT_IP_HEADER);
  const ip = c.get("clientIp");
  if (ip) headers.set(CLIENT_IP_HEADER, ip);
  const init: RequestInit & { duplex?: "half" } = { method: c.req.method, headers };
  if (c.req.method !== "GET" && c.req.method !== "HEAD") {
    init.body = c.req.raw.body;
    init.duplex = "half";
  }
  return new Request(c.req.url, init);
}

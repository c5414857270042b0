// Answers given before the request body was read in full: a 413 for an oversized body, a 401 or 404 before
// an upload or a webhook is read. The rest of the body is still on the connection, and the Node adapter
// drains it only briefly before dropping the socket, so a client that reused a kept-alive connection
// would see its next request fail. Such an answer closes the connection instead.
import type { HttpBindings } from "@hono/node-server";
import type { Context, MiddlewareHandler } from "hono";

const hasBody = (req: Request): boolean => {
  if (req.method === "GET" || req.method === "HEAD") return false;
  const length = req.headers.get("content-length");
  return (length !== null && length !== "0") || req.headers.has("transfer-encoding");
};

/** Whether some of the request body is still unread once the response is ready. */
function bodyLeftUnread(c: Context): boolean {
  if (!hasBody(c.req.raw)) return false;
  const incoming = (c.env as Partial<HttpBindings> | undefined)?.incoming;
  // Outside the Node adapter there is no socket to read; close after every refusal to be safe.
  if (!incoming) return c.res.status >= 400;
  return !incoming.readableEnded;
}

export const closeWhenBodyUnread: MiddlewareHandler = async (c, next) => {
  await next();
  if (bodyLeftUnread(c)) c.res.headers.set("Connection", "close");
};

// Hands every browser the double-submit CSRF token of seed 004 (§1): a random value in a cookie that
// scripts on our own origin can read and echo in `X-CSRF-Token`; other sites can neither read nor set it.
import { randomBytes } from "node:crypto";
import { CSRF_COOKIE } from "@crewdeck/api";
import type { MiddlewareHandler } from "hono";
import { getCookie, setCookie } from "hono/cookie";

export const csrfCookie =
  (opts: { secure: boolean }): MiddlewareHandler =>
  async (c, next) => {
    await next();
    if (getCookie(c, CSRF_COOKIE)) return;
    setCookie(c, CSRF_COOKIE, randomBytes(32).toString("base64url"), {
      path: "/",
      sameSite: "Strict",
      secure: opts.secure,
      httpOnly: false,
    });
  };

// With a mailer configured: invitations are mailed, and a new account signs in only once it has followed the
// verification link mailed to it. The mail server is a real SMTP server on 127.0.0.1 (smtp-server).
import type { AddressInfo } from "node:net";
import { freePort } from "@crewdeck/engine/testing";
import { SMTPServer } from "smtp-server";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { startTestServer, type TestServer } from "./harness";

type Mail = { to: string[]; raw: string; text: string };

/** The body as a person reads it: quoted-printable soft breaks joined and escapes decoded. */
const decodeQuotedPrintable = (raw: string) =>
  raw
    .replace(/=\r?\n/g, "")
    .replace(/=([0-9A-F]{2})/g, (_, hex: string) => String.fromCharCode(Number.parseInt(hex, 16)));

const linksIn = (mail: Mail) => mail.text.match(/https?:\/\/\S+/g) ?? [];

describe("sign-up and invitations with a mailer", () => {
  let smtp: SMTPServer;
  let server: TestServer;
  const inbox: Mail[] = [];

  /** The next mail to `address` whose text matches, waiting for it to arrive. */
  async function mailTo(address: string, matching: RegExp): Promise<Mail> {
    const deadline = Date.now() + 10_000;
    while (Date.now() < deadline) {
      const index = inbox.findIndex((m) => m.to.includes(address) && matching.test(m.text));
      if (index >= 0) return inbox.splice(index, 1)[0] as Mail;
      await new Promise((resolve) => setTimeout(resolve, 50));
    }
    throw new Error(
      `no mail to ${address} matching ${matching}; inbox: ${inbox.map((m) => m.to).join(" | ")}`,
    );
  }

  const login = (email: string) =>
    server.api("POST", "/auth/login", { body: { email, password: "correct horse battery" } });

  /** Follows a verification link as a browser would, and answers where it sent the person. */
  async function follow(link: string): Promise<{ status: number; location: string | null }> {
    const res = await fetch(link, { redirect: "manual" });
    await res.text();
    return { status: res.status, location: res.headers.get("location") };
  }

  beforeAll(async () => {
    smtp = new SMTPServer({
      authOptional: true,
      disabledCommands: ["STARTTLS", "AUTH"],
      logger: false,
      onData(stream, session, callback) {
        const chunks: Buffer[] = [];
        stream.on("data", (chunk: Buffer) => chunks.push(chunk));
        stream.on("end", () => {
          const raw = Buffer.concat(chunks).toString("utf8");
          const to = session.envelope.rcptTo.map((r) => r.address);
          inbox.push({ to, raw, text: decodeQuotedPrintable(raw) });
          callback();
        });
      },
    });
    await new Promise<void>((resolve) => smtp.listen(0, "127.0.0.1", () => resolve()));
    const smtpPort = (smtp.server.address() as AddressInfo).port;
    const port = String(await freePort());
    server = await startTestServer({
      PORT: port,
      APP_URL: `http://127.0.0.1:${port}`,
      SIGNUP_MODE: "invite",
      SMTP_HOST: "127.0.0.1",
      SMTP_PORT: String(smtpPort),
      SMTP_FROM: "Crewdeck <crewdeck@example.test>",
      RATE_LIMIT_REGISTER_MAX: "1000",
      RATE_LIMIT_LOGIN_MAX: "1000",
    });
  });
  afterAll(async () => {
    await server?.stop();
    await new Promise<void>((resolve) => smtp.close(() => resolve()));
  });

  let adminToken: string;

  it("says so on the sign-up page's endpoint", async () => {
    const res = await server.api("GET", "/auth/signup-mode");
    expect(res.body).toEqual({ mode: "invite", firstAccount: true, emailVerification: true });
  });

  it("lets the first account sign in only after it follows the link mailed to it", async () => {
    const email = "founder@example.test";
    const reg = await server.api("POST", "/auth/register", {
      body: { email, username: "founder", password: "correct horse battery" },
    });
    expect(reg.status, JSON.stringify(reg.body)).toBe(200);
    expect(reg.body).toEqual({ requires_email_verification: true, email });

    const mail = await mailTo(email, /confirm your email address/i);
    expect(mail.raw).toMatch(/^From: Crewdeck <crewdeck@example\.test>/m);
    const [link] = linksIn(mail);
    expect(link?.startsWith(`${server.url}/api/auth/verify-email?token=`)).toBe(true);

    const early = await login(email);
    expect(early.status).toBe(403);
    expect(early.body.error.code).toBe("FORBIDDEN");
    expect(early.body.error.message).toMatch(/not verified/i);
    await mailTo(email, /confirm your email address/i); // a sign-in attempt sends the link again

    const followed = await follow(link as string);
    expect(followed.status).toBe(302);
    expect(followed.location).toMatch(/\/login\?verified=1$/);

    const signedIn = await login(email);
    expect(signedIn.status, JSON.stringify(signedIn.body)).toBe(200);
    expect(signedIn.body.user.role).toBe("admin");
    adminToken = signedIn.body.access_token;
  });

  it("mails an invitation whose link admits the invitee, who then verifies their address", async () => {
    const email = "newcomer@example.test";
    const created = await server.api("POST", "/invitations", { token: adminToken, body: { email } });
    expect(created.status).toBe(200);
    expect(created.body.emailSent).toBe(true);

    const invitationMail = await mailTo(email, /invited you to Crewdeck/);
    const inviteLink = linksIn(invitationMail).find((l) => l.includes("/invite/"));
    expect(inviteLink).toBe(created.body.link);
    const token = (inviteLink as string).split("/invite/")[1];

    const res = await server.api("POST", "/auth/register", {
      body: {
        email,
        name: "Newcomer",
        username: "newcomer",
        password: "correct horse battery",
        invitationToken: token,
      },
    });
    expect(res.status).toBe(200);
    expect(res.body).toEqual({ requires_email_verification: true, email });
    expect((await login(email)).status).toBe(403);

    const verification = await mailTo(email, /confirm your email address/i);
    const followed = await follow(linksIn(verification)[0] as string);
    expect(followed.status).toBe(302);
    expect((await login(email)).status).toBe(200);
  });

  it("answers a sign-up for a taken address like any other, without a session", async () => {
    const created = await server.api("POST", "/invitations", { token: adminToken, body: {} });
    const reg = await server.api("POST", "/auth/register", {
      body: {
        email: "founder@example.test",
        username: "someoneelse",
        password: "correct horse battery",
        invitationToken: created.body.link.split("/invite/")[1],
      },
    });
    expect(reg.status).toBe(200);
    expect(reg.body).toEqual({ requires_email_verification: true, email: "founder@example.test" });
  });
});

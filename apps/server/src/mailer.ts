// Outgoing mail through SMTP (nodemailer), when the operator configured it; otherwise none.
import type { Mailer } from "@crewdeck/api";
import nodemailer from "nodemailer";
import type { ServerConfig } from "./env";

export type SmtpMailer = Mailer & { close: () => void };

export function createMailer(config: ServerConfig): SmtpMailer | null {
  if (!config.SMTP_URL && !config.SMTP_HOST) return null;
  const defaults = { from: config.SMTP_FROM };
  const transport = config.SMTP_URL
    ? nodemailer.createTransport(config.SMTP_URL, defaults)
    : nodemailer.createTransport(
        {
          host: config.SMTP_HOST,
          port: config.SMTP_PORT,
          secure: config.SMTP_SECURE,
          ...(config.SMTP_USER && { auth: { user: config.SMTP_USER, pass: config.SMTP_PASSWORD ?? "" } }),
        },
        defaults,
      );
  return {
    send: async (message) => {
      await transport.sendMail({ to: message.to, subject: message.subject, text: message.text });
    },
    close: () => transport.close(),
  };
}

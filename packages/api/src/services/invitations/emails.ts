// The two mails Crewdeck sends: an invitation, and the link that verifies a new account's address.
import type { MailMessage } from "../../lib/mailer";

export function invitationEmail(input: {
  to: string;
  inviterName: string;
  projectName: string | null;
  role: string | null;
  link: string;
  expiresAt: Date;
}): MailMessage {
  const what = input.projectName
    ? `to the project "${input.projectName}" on Crewdeck, as ${input.role}`
    : "to Crewdeck";
  return {
    to: input.to,
    subject: input.projectName
      ? `${input.inviterName} invited you to ${input.projectName} on Crewdeck`
      : `${input.inviterName} invited you to Crewdeck`,
    text: [
      `${input.inviterName} invited you ${what}.`,
      "",
      "Open this link to accept (it works once):",
      input.link,
      "",
      `The invitation expires on ${input.expiresAt.toUTCString()}. If you did not expect it, ignore this mail.`,
    ].join("\n"),
  };
}

export function verificationEmail(input: { to: string; name: string; url: string }): MailMessage {
  return {
    to: input.to,
    subject: "Confirm your email address for Crewdeck",
    text: [
      `Hello ${input.name},`,
      "",
      "Open this link to confirm your email address; you can sign in once it is confirmed:",
      input.url,
      "",
      "If you did not create a Crewdeck account, ignore this mail.",
    ].join("\n"),
  };
}

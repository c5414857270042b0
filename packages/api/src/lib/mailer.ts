// Outgoing mail, as services see it. The app builds it from its SMTP settings; without them there is none.
export type MailMessage = { to: string; subject: string; text: string };

export type Mailer = { send: (message: MailMessage) => Promise<void> };

import nodemailer from "nodemailer";

export interface OutgoingMail {
  to: string;
  subject: string;
  text: string;
  html: string;
  /** Stable per stored message: a resend after a crash carries the same Message-ID. */
  messageId: string;
  headers?: Record<string, string>;
}

export interface Mailer {
  /** Resolves only once the SMTP server accepted the message for its recipient. */
  send(mail: OutgoingMail): Promise<{ messageId: string; response: string }>;
  close(): void;
}

export type SendFailure = { kind: "transient" | "permanent"; reason: string };

/**
 * Nodemailer over SMTP_URL; one connection per message, so a restarted server is simply
 * reconnected (a pool's idle connection would hold up a server's graceful stop). The timeouts go
 * in the URL's query, which is where Nodemailer reads a URL's transport options from (an options
 * object beside a URL only sets defaults for messages); a query parameter SMTP_URL sets itself wins.
 */
export function createSmtpMailer(smtpUrl: string, from: string): Mailer {
  const url = new URL(smtpUrl);
  const timeouts = { connectionTimeout: "10000", greetingTimeout: "10000", socketTimeout: "30000" };
  for (const [key, value] of Object.entries(timeouts)) if (!url.searchParams.has(key)) url.searchParams.set(key, value);
  const transport = nodemailer.createTransport(url.toString());
  return {
    send: async (mail) => {
      const info = await transport.sendMail({ from, ...mail, messageId: mail.messageId });
      if (!info.accepted?.length) throw Object.assign(new Error(`recipient refused: ${info.response}`), { code: "EENVELOPE", responseCode: 550 });
      return { messageId: info.messageId, response: info.response };
    },
    close: () => transport.close(),
  };
}

/**
 * A failure is classified before it is handled: a 5xx answer or an address the
 * server or Nodemailer refuses will never succeed (permanent); a 4xx, a refused
 * or dropped connection, a timeout or an authentication failure (a setting an
 * operator can fix) may (transient).
 */
export function classifySmtpError(error: unknown): SendFailure {
  const e = error as { code?: string; responseCode?: number; response?: string; message?: string };
  const reason = (e.response ?? e.message ?? String(error)).replace(/\s+/g, " ").trim().slice(0, 300);
  if (e.code === "EAUTH") return { kind: "transient", reason };
  if (typeof e.responseCode === "number") return { kind: e.responseCode >= 500 ? "permanent" : "transient", reason };
  if (e.code === "EENVELOPE") return { kind: "permanent", reason: reason === "No recipients defined" ? "the recipient address is not a valid email address" : reason };
  return { kind: "transient", reason };
}

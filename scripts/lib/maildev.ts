import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { MailDev } from "maildev";
import { freePort } from "./database";

export interface MailDevHandle {
  /** For SMTP_URL. */
  smtpUrl: string;
  /** The web inbox; its REST API is under /api (GET /api/email lists every message). */
  webUrl: string;
  /** Stops the SMTP server and the inbox; `start()` brings both back on the same ports. */
  stop(): Promise<void>;
  start(): Promise<void>;
  /** Every message received, oldest first (MailDev's GET /api/email). */
  emails(): Promise<MailDevEmail[]>;
  /** Stops for good and removes the mail directory. */
  close(): Promise<void>;
}

export interface MailDevEmail {
  id: string;
  subject: string;
  text: string;
  html: string;
  to: { address: string }[];
  headers: Record<string, string>;
}

/**
 * MailDev (the npm package) on loopback, for development and tests: SMTP on
 * `smtpPort` (1025) and the web inbox with its REST API on `webPort` (1080),
 * each moved to a free port when taken. Mail is kept in a directory of its own,
 * so two checkouts never read each other's inbox.
 */
export async function startMailDev(opts: { smtpPort?: number; webPort?: number; log?: (line: string) => void } = {}): Promise<MailDevHandle> {
  const smtp = await freePort(opts.smtpPort ?? 1025);
  const web = await freePort(opts.webPort ?? 1080);
  const mailDirectory = mkdtempSync(path.join(tmpdir(), "maildev-"));
  const webUrl = `http://127.0.0.1:${web}`;
  let server: MailDev | null = null;
  const start = async () => {
    if (server) return;
    const quiet = console.log;
    // MailDev announces its API on stdout even when silent; the caller prints the URLs it wants.
    console.log = (...args: unknown[]) => (String(args[0]).startsWith("MailDev") ? undefined : quiet(...args));
    try {
      server = new MailDev({ smtp, web, ip: "127.0.0.1", webIp: "127.0.0.1", mailDirectory, silent: true });
      await server.start();
    } finally {
      console.log = quiet;
    }
  };
  const stop = async () => {
    const s = server;
    server = null;
    await s?.stop();
  };
  await start();
  opts.log?.(`MailDev: SMTP on smtp://127.0.0.1:${smtp}, inbox on ${webUrl}`);
  return {
    smtpUrl: `smtp://127.0.0.1:${smtp}`,
    webUrl,
    start,
    stop,
    emails: async () => {
      const res = await fetch(`${webUrl}/api/email`);
      if (!res.ok) throw new Error(`MailDev answered ${res.status}`);
      return (await res.json()) as MailDevEmail[];
    },
    close: async () => {
      await stop();
      rmSync(mailDirectory, { recursive: true, force: true });
    },
  };
}

import { z } from "zod";

/*
 * Notification settings, validated as part of server/config/index.ts when a process starts.
 * SMTP_URL (smtp://user:pass@host:port, smtps://… for TLS) turns email on; without it
 * notifications are off and every message is recorded as skipped with that reason.
 */

export interface RetryPolicy {
  attempts: number;
  baseDelayMs: number;
  maxDelayMs: number;
}

export interface NotificationConfig {
  /** null: email is off (no SMTP_URL). */
  smtpUrl: string | null;
  from: string;
  supportEmail: string;
  retry: RetryPolicy;
  ops: {
    email: string | null;
    webhookUrl: string | null;
    webhookSecret: string | null;
  };
}

type Env = Record<string, string | undefined>;

const url = (protocols: string[]) =>
  z.url().refine((u) => protocols.includes(new URL(u).protocol), `must start with ${protocols.map((p) => `${p}//`).join(" or ")}`);
const positiveInt = z.coerce.number().int().positive();

const ZEnvSchema = z.object({
  SMTP_URL: url(["smtp:", "smtps:"]).optional(),
  MAIL_FROM: z.string().min(3).default("Orders <orders@example.com>"),
  SUPPORT_EMAIL: z.email().default("support@example.com"),
  NOTIFY_RETRY_ATTEMPTS: positiveInt.default(8),
  NOTIFY_RETRY_BASE_MS: positiveInt.default(5_000),
  NOTIFY_RETRY_MAX_MS: positiveInt.default(15 * 60_000),
  OPS_ALERT_EMAIL: z.email().optional(),
  OPS_ALERT_WEBHOOK_URL: url(["http:", "https:"]).optional(),
  OPS_ALERT_WEBHOOK_SECRET: z.string().min(16).optional(),
});

export function loadNotificationConfig(env: Env): NotificationConfig {
  const blankless = Object.fromEntries(Object.entries(env).filter(([, v]) => v !== undefined && v !== ""));
  const parsed = ZEnvSchema.safeParse(blankless);
  if (!parsed.success) {
    throw new Error(`Notification settings are invalid: ${parsed.error.issues.map((i) => `${i.path.join(".")} ${i.message}`).join("; ")}`);
  }
  const e = parsed.data;
  if (e.OPS_ALERT_WEBHOOK_URL && !e.OPS_ALERT_WEBHOOK_SECRET) {
    throw new Error("Notification settings are invalid: OPS_ALERT_WEBHOOK_URL needs OPS_ALERT_WEBHOOK_SECRET (16+ characters) to sign its alerts");
  }
  return {
    smtpUrl: e.SMTP_URL ?? null,
    from: e.MAIL_FROM,
    supportEmail: e.SUPPORT_EMAIL,
    retry: { attempts: e.NOTIFY_RETRY_ATTEMPTS, baseDelayMs: e.NOTIFY_RETRY_BASE_MS, maxDelayMs: e.NOTIFY_RETRY_MAX_MS },
    ops: {
      email: e.OPS_ALERT_EMAIL ?? null,
      webhookUrl: e.OPS_ALERT_WEBHOOK_URL ?? null,
      webhookSecret: e.OPS_ALERT_WEBHOOK_SECRET ?? null,
    },
  };
}

/** What the worker says at start-up about where messages go. */
export function describeNotificationConfig(config: NotificationConfig): string {
  if (!config.smtpUrl) return "Notifications are off: SMTP_URL is not set, so no customer email is sent (each is recorded as skipped).";
  const { protocol, host } = new URL(config.smtpUrl);
  const ops = [config.ops.email && `email ${config.ops.email}`, config.ops.webhookUrl && `webhook ${new URL(config.ops.webhookUrl).origin}`].filter(Boolean);
  return `Notifications: email via ${protocol}//${host} from ${config.from}; ops alerts ${ops.length ? `to ${ops.join(" and ")}` : "off (OPS_ALERT_EMAIL / OPS_ALERT_WEBHOOK_URL not set)"}.`;
}

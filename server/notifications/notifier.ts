import type { Db } from "@/server/db/client";
import type { NotificationConfig } from "@/server/config/notifications";
import { createSmtpMailer, type Mailer } from "./mailer";
import { logger } from "@/server/observability/logger";

/** What the notification jobs need: the database, the settings and the SMTP client (null: email off). */
export interface Notifier {
  db: Db;
  config: NotificationConfig;
  mailer: Mailer | null;
  log: (line: string) => void;
}

export function createNotifier(db: Db, config: NotificationConfig, log: (line: string) => void = (line) => logger().info(line)): Notifier {
  return { db, config, mailer: config.smtpUrl ? createSmtpMailer(config.smtpUrl, config.from) : null, log };
}

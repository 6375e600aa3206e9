import { createHmac, timingSafeEqual } from "node:crypto";

/*
 * The warehouse signs each callback: `X-WM-Signature: t=<unix seconds>,v1=<hex HMAC-SHA256 of
 * "<t>.<raw body>">` under WAREHOUSE_WEBHOOK_SECRET. A signature older than the tolerance is refused,
 * so a captured callback cannot be replayed later (a replay within it changes nothing anyway).
 */

export const WAREHOUSE_SIGNATURE_HEADER = "x-wm-signature";
const TOLERANCE_S = 300;

export function signWarehouseBody(rawBody: string, secret: string, at = Math.floor(Date.now() / 1000)): string {
  const mac = createHmac("sha256", secret).update(`${at}.${rawBody}`).digest("hex");
  return `t=${at},v1=${mac}`;
}

export function verifyWarehouseSignature(rawBody: string, header: string | null | undefined, secret: string, now = Date.now()): boolean {
  if (!header) return false;
  const parts = new Map(header.split(",").map((p) => p.trim().split("=", 2) as [string, string]));
  const t = Number(parts.get("t"));
  const v1 = parts.get("v1");
  if (!Number.isSafeInteger(t) || !v1 || !/^[0-9a-f]{64}$/.test(v1)) return false;
  if (Math.abs(now / 1000 - t) > TOLERANCE_S) return false;
  const expected = createHmac("sha256", secret).update(`${t}.${rawBody}`).digest();
  return timingSafeEqual(expected, Buffer.from(v1, "hex"));
}

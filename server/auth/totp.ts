import { Secret, TOTP } from "otpauth";

export function totpFor(secretBase32: string, label = "admin") {
  return new TOTP({
    issuer: "Partial Cancellation",
    label,
    algorithm: "SHA1",
    digits: 6,
    period: 30,
    secret: Secret.fromBase32(secretBase32),
  });
}

export function verifyTotp(secretBase32: string, code: string, timestamp = Date.now()): boolean {
  if (!/^\d{6}$/.test(code)) return false;
  return totpFor(secretBase32).validate({ token: code, timestamp, window: 1 }) !== null;
}

export function currentTotp(secretBase32: string, timestamp = Date.now()): string {
  return totpFor(secretBase32).generate({ timestamp });
}

export function newTotpSecret(): string {
  return new Secret({ size: 20 }).base32;
}

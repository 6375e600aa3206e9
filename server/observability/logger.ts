import { AsyncLocalStorage } from "node:async_hooks";
import pino, { type DestinationStream, type Logger } from "pino";
import pretty from "pino-pretty";
import { getConfig } from "@/server/config";
import { activeTraceIds } from "./spans";

/*
 * Structured logs (pino): one JSON object a line on stdout with `level`, `time`, `msg`, and what
 * the line happened for — requestId, correlationId, cancellationId, orderId, actorId, and the trace
 * and span ids when tracing is on — taken from the request's or job's log context. Personal data,
 * secrets and card data never reach a line: known keys are redacted wherever they sit, and card
 * numbers, email addresses and phone numbers are masked inside messages. `LOG_PRETTY=on` (the
 * default in development) prints the same lines for people, through pino-pretty.
 */

export interface LogContext {
  requestId?: string;
  correlationId?: string;
  cancellationId?: string;
  orderId?: string;
  actorId?: string;
  job?: string;
}

/** Keys whose values are personal data, secrets or card data: censored at any depth up to three. */
export const REDACTED_KEYS = [
  "authorization",
  "cookie",
  "set-cookie",
  "password",
  "passwordHash",
  "newPassword",
  "token",
  "accessToken",
  "refreshToken",
  "secret",
  "clientSecret",
  "apiKey",
  "key",
  "totp",
  "totpSecret",
  "otp",
  "hmacKey",
  "email",
  "customerEmail",
  "recipient",
  "to",
  "name",
  "customerName",
  "phone",
  "customerPhone",
  "customerPhoneDigits",
  "address",
  "shippingAddress",
  "billingAddress",
  "cardNumber",
  "number",
  "pan",
  "cvc",
  "cvv",
  "expiry",
  "iban",
];

export const REDACT_PATHS = REDACTED_KEYS.flatMap((k) => {
  const key = /^[A-Za-z_$][\w$]*$/.test(k) ? k : `["${k}"]`;
  const join = (prefix: string) => (key.startsWith("[") ? `${prefix}${key}` : `${prefix}.${key}`);
  return [key, join("*"), join("*.*")];
});

const CARD_NUMBER = /\b\d(?:[ -]?\d){12,18}\b/g;
const EMAIL = /[\w.+-]+@[\w-]+(?:\.[\w-]+)+/g;
// A phone number written with its country code ("+1 (555) 010-4477") or an area code in brackets
// ("(555) 010-4477"); a bare run of digits is an id or an amount as often as a phone.
const PHONE = /\+\d[\d ().\/-]{5,}\d|\(\d{2,5}\)[ .-]?\d[\d .-]{3,}\d/g;
// PostgreSQL's detail of a refused row (a CHECK or NOT NULL violation): the whole row, every column,
// so an order's customer name, phone and its digits, which no pattern here can tell from an id.
const FAILING_ROW = /\bFailing row contains \(.*\)/g;
// A URL's user:password@ (a DATABASE_URL or SMTP_URL in a driver's error).
const URL_CREDENTIALS = /\b([a-z][a-z0-9+.-]*:\/\/)[^\s/@]*@/gi;
// Authorization header values: Bearer <token>, Basic <credentials>.
const AUTH_SCHEME = /\b(Bearer|Basic)\s+[A-Za-z0-9._~+/=-]+/gi;
// Our API keys (pck_…), embed client secrets, the providers' secret keys and webhook secrets.
const SECRET_TOKEN = /\b(?:pck|pce|sk|rk|whsec)_[A-Za-z0-9_-]{8,}/g;

/** Masks credentials in URLs, authorization values, API keys and secrets, card numbers, email addresses and phone numbers inside free text, and drops the rows PostgreSQL quotes. */
export function scrub(text: string): string {
  return text
    .replace(FAILING_ROW, "Failing row contains ([row])")
    .replace(URL_CREDENTIALS, "$1[redacted]@")
    .replace(AUTH_SCHEME, "$1 [redacted]")
    .replace(SECRET_TOKEN, "[secret]")
    .replace(CARD_NUMBER, "[card number]")
    .replace(EMAIL, "[email]")
    .replace(PHONE, "[phone]");
}

/** Every string in a serialized error (message, stack, a driver's detail, its causes …), scrubbed. */
function scrubDeep(value: unknown, depth = 0): unknown {
  if (typeof value === "string") return scrub(value);
  if (depth > 5 || value === null || typeof value !== "object") return value;
  if (Array.isArray(value)) return value.map((v) => scrubDeep(v, depth + 1));
  return Object.fromEntries(Object.entries(value).map(([k, v]) => [k, scrubDeep(v, depth + 1)]));
}

/**
 * pino's error serializer, then scrubbed: an error's message and stack are free text written by
 * code we do not own (a driver quoting the row it refused, an HTTP client quoting the URL it
 * called), so they get what a log message gets.
 */
export function serializeError(err: unknown): unknown {
  return scrubDeep(err instanceof Error ? pino.stdSerializers.err(err) : err);
}

const shared = globalThis as unknown as { __pcLogContext?: AsyncLocalStorage<LogContext>; __pcLogger?: Logger };
const contexts = (shared.__pcLogContext ??= new AsyncLocalStorage<LogContext>());

/** Runs `fn` with `context` added to every line logged inside it (nested contexts add up). */
export function withLogContext<T>(context: LogContext, fn: () => T): T {
  return contexts.run({ ...contexts.getStore(), ...definedOnly(context) }, fn);
}

/** Adds to the current context what became known on the way (the actor, the cancellation's id). */
export function addLogContext(context: LogContext): void {
  const store = contexts.getStore();
  if (store) Object.assign(store, definedOnly(context));
}

export function currentLogContext(): LogContext {
  return { ...contexts.getStore() };
}

function definedOnly(context: LogContext): LogContext {
  return Object.fromEntries(Object.entries(context).filter(([, v]) => v !== undefined && v !== null)) as LogContext;
}

export interface LoggerOptions {
  level?: string;
  pretty?: boolean;
  /** Where lines go (tests); stdout by default. */
  destination?: DestinationStream;
  service?: string;
}

export function createLogger(opts: LoggerOptions = {}): Logger {
  const destination = opts.destination ?? (opts.pretty ? pretty({ colorize: true, translateTime: "SYS:HH:MM:ss.l", ignore: "pid,hostname,service" }) : undefined);
  return pino(
    {
      level: opts.level ?? "info",
      base: { service: opts.service ?? serviceName(), pid: process.pid },
      timestamp: pino.stdTimeFunctions.isoTime,
      formatters: { level: (label) => ({ level: label }) },
      redact: { paths: REDACT_PATHS, censor: "[redacted]" },
      serializers: { err: serializeError, error: serializeError },
      mixin: () => ({ ...contexts.getStore(), ...activeTraceIds() }),
      hooks: {
        logMethod(args, method) {
          const scrubbed: unknown[] = args.map((a) => (typeof a === "string" ? scrub(a) : a));
          // Without a message pino takes the error's own as the line's msg: give it the scrubbed one.
          const first = scrubbed[0] as { err?: unknown; error?: unknown } | undefined;
          const err = first instanceof Error ? first : first && typeof first === "object" ? (first.err ?? first.error) : undefined;
          if (err instanceof Error && typeof scrubbed[1] !== "string") scrubbed.splice(1, 0, scrub(err.message));
          method.apply(this, scrubbed as Parameters<typeof method>);
        },
      },
    },
    destination,
  );
}

/** The process's logger: the app's or the worker's, configured by LOG_LEVEL and LOG_PRETTY. */
export function logger(): Logger {
  if (!shared.__pcLogger) {
    const { logLevel, logPretty } = getConfig().observability;
    shared.__pcLogger = createLogger({ level: logLevel, pretty: logPretty });
  }
  return shared.__pcLogger;
}

const accessLoggers = new WeakMap<Logger, Logger>();

/**
 * The process's logger without key redaction, for the one line per request (observed-route.ts) whose
 * fields are the route's own — method, route template, status, duration — and the context's ids:
 * nothing there is a secret or personal data, and redacting 100-odd paths (wildcards at three depths)
 * was ≈ 0.1 ms of CPU a request, a tenth of a preview's. Messages are still scrubbed; lines with
 * anything else go through logger().
 */
export function accessLogger(): Logger {
  const parent = logger();
  let access = accessLoggers.get(parent);
  if (!access) {
    access = parent.child({}, { redact: [] });
    accessLoggers.set(parent, access);
  }
  return access;
}

function serviceName(): string {
  return process.env.PC_SERVICE_NAME ?? "pc-app";
}

/** Swaps the process's logger (tests capture lines with it); returns a function that puts the old one back. */
export function replaceLogger(next: Logger): () => void {
  const previous = shared.__pcLogger;
  shared.__pcLogger = next;
  return () => {
    shared.__pcLogger = previous;
  };
}

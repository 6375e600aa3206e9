import type { IncomingMessage, ServerResponse } from "node:http";
import { ErrorCode, httpStatusFor } from "@/server/domain/errors";

export interface RequestAdmissionSettings {
  /** Requests inside the app at once. */
  maxInFlight: number;
  /** Requests waiting for a turn; beyond them a request is refused at once. */
  maxQueued: number;
  /** The longest a request waits for its turn before it is refused. */
  maxWaitMs: number;
}

// Answered even when the process is saturated: probes and scrapes; the pages' own static assets
// (a page whose scripts were refused is broken); the providers' and the warehouse's webhooks (they
// settle money and answers already under way, and are cheap).
const EXEMPT = /^\/(api\/(health|metrics|webhooks)|_next\/static)(\/|\?|$)/;

/**
 * Load shedding in front of Next.js (scripts/serve.ts), SPEC §9's burst: a saturated process
 * answers 429 with Retry-After in microseconds, before Next parses anything, instead of taking
 * every request in and answering all of them too late (10,000 submits at once on 2 app processes
 * timed out after 2 minutes, none answered). At most `maxInFlight` requests run at once, at most
 * `maxQueued` wait (first come, first served) for at most `maxWaitMs`; a refused request changed
 * nothing. Behind it the submit's own admission (server/cancellations/admission.ts) bounds the
 * submits that hold a database connection.
 */
export function admitRequests(
  handle: (req: IncomingMessage, res: ServerResponse) => void,
  settings: RequestAdmissionSettings,
): (req: IncomingMessage, res: ServerResponse) => void {
  let inFlight = 0;
  const queue: { start: () => void; timer: NodeJS.Timeout }[] = [];
  const retryAfterSeconds = Math.max(1, Math.ceil(settings.maxWaitMs / 1000));

  const next = () => {
    const waiting = queue.shift();
    if (!waiting) return void inFlight--;
    clearTimeout(waiting.timer);
    waiting.start();
  };
  const run = (req: IncomingMessage, res: ServerResponse) => {
    let done = false;
    const finished = () => {
      if (done) return;
      done = true;
      next();
    };
    res.once("finish", finished);
    res.once("close", finished);
    handle(req, res);
  };

  return (req, res) => {
    if (EXEMPT.test(req.url ?? "")) return handle(req, res);
    if (inFlight < settings.maxInFlight) {
      inFlight++;
      return run(req, res);
    }
    if (queue.length >= settings.maxQueued) return refuse(res, retryAfterSeconds);
    const entry = {
      start: () => run(req, res),
      timer: setTimeout(() => {
        leave();
        refuse(res, retryAfterSeconds);
      }, settings.maxWaitMs),
    };
    const leave = () => {
      const at = queue.indexOf(entry);
      if (at >= 0) queue.splice(at, 1);
      clearTimeout(entry.timer);
    };
    // A client that gave up while waiting leaves the queue.
    res.once("close", () => {
      if (!res.writableFinished && queue.includes(entry)) leave();
    });
    queue.push(entry);
  };
}

function refuse(res: ServerResponse, retryAfterSeconds: number) {
  if (res.headersSent || res.destroyed) return;
  const body = JSON.stringify({
    error: { code: ErrorCode.RATE_LIMITED, message: "The server is busy; nothing was changed. Try again after the time in Retry-After.", details: { retryAfterSeconds } },
  });
  // The unread request body is not worth reading: the connection closes after the answer.
  res.writeHead(httpStatusFor[ErrorCode.RATE_LIMITED], { "content-type": "application/json", "content-length": Buffer.byteLength(body), "retry-after": String(retryAfterSeconds), connection: "close" });
  res.end(body);
}

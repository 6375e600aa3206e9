import { AppError, ErrorCode } from "@/server/domain/errors";

/*
 * What every adapter (REST, tRPC, webhooks, admin routes) accepts before it parses anything.
 * Documented in the README ("Limits"): a body is at most MAX_BODY_BYTES and JSON nests at most
 * MAX_JSON_DEPTH levels; strings must be storable by PostgreSQL (no NUL, no lone surrogate).
 */

/** 1 MiB: an import of 500 lines and 20 tenders is well under 200 KiB. */
export const MAX_BODY_BYTES = 1024 * 1024;
/** Our deepest body (an import: order → lines → line → field) is 4 levels; 32 leaves room. */
export const MAX_JSON_DEPTH = 32;

function tooLarge(): AppError {
  return new AppError(ErrorCode.PAYLOAD_TOO_LARGE, `The request body is larger than ${MAX_BODY_BYTES} bytes.`, { maxBytes: MAX_BODY_BYTES });
}

/**
 * The body as text, refusing (413) one whose Content-Length or actual size exceeds the limit
 * without reading more than the limit: a 1 GiB upload costs 1 MiB of memory at most.
 */
export async function readBodyText(req: Request, maxBytes = MAX_BODY_BYTES): Promise<string> {
  const declared = Number(req.headers.get("content-length"));
  if (Number.isFinite(declared) && declared > maxBytes) throw tooLarge();
  if (!req.body) return "";
  const reader = req.body.getReader();
  const chunks: Uint8Array[] = [];
  let size = 0;
  for (;;) {
    const { done, value } = await reader.read();
    if (done) break;
    size += value.byteLength;
    if (size > maxBytes) {
      await reader.cancel().catch(() => {});
      throw tooLarge();
    }
    chunks.push(value);
  }
  try {
    return new TextDecoder("utf-8", { fatal: true }).decode(Buffer.concat(chunks));
  } catch {
    throw new AppError(ErrorCode.VALIDATION_FAILED, "The request body is not valid UTF-8.");
  }
}

/** One pass over the text, outside strings: refuses nesting deeper than the limit before JSON.parse recurses. */
export function assertJsonDepth(text: string, maxDepth = MAX_JSON_DEPTH): void {
  let depth = 0;
  let inString = false;
  for (let i = 0; i < text.length; i++) {
    const c = text.charCodeAt(i);
    if (inString) {
      if (c === 92 /* \ */) i++;
      else if (c === 34 /* " */) inString = false;
    } else if (c === 34) inString = true;
    else if (c === 123 /* { */ || c === 91 /* [ */) {
      if (++depth > maxDepth) {
        throw new AppError(ErrorCode.VALIDATION_FAILED, `The JSON nests deeper than ${MAX_JSON_DEPTH} levels.`, { maxDepth: MAX_JSON_DEPTH });
      }
    } else if (c === 125 || c === 93) depth--;
  }
}

// NUL, and a UTF-16 surrogate without its pair: PostgreSQL's text (UTF-8) cannot hold either.
const UNSTORABLE = /\u0000|[\uD800-\uDBFF](?![\uDC00-\uDFFF])|(?<![\uD800-\uDBFF])[\uDC00-\uDFFF]/;

export function isStorableString(value: string): boolean {
  return !UNSTORABLE.test(value);
}

/** The path ("lines.0.sku") of the first string or key that cannot be stored, or null. */
export function findUnstorableString(value: unknown, path: string[] = []): string | null {
  if (typeof value === "string") return isStorableString(value) ? null : path.join(".") || "(body)";
  if (Array.isArray(value)) {
    for (let i = 0; i < value.length; i++) {
      const found = findUnstorableString(value[i], [...path, String(i)]);
      if (found !== null) return found;
    }
    return null;
  }
  if (value !== null && typeof value === "object") {
    for (const [key, child] of Object.entries(value)) {
      if (!isStorableString(key)) return [...path, "(key)"].join(".");
      const found = findUnstorableString(child, [...path, key]);
      if (found !== null) return found;
    }
  }
  return null;
}

/** 400 VALIDATION_FAILED naming the field when any string in `value` cannot be stored. */
export function assertStorableStrings(value: unknown, where?: string): void {
  const found = findUnstorableString(value);
  if (found === null) return;
  const field = where && found === "(body)" ? where : where ? `${where}.${found}` : found;
  throw new AppError(ErrorCode.VALIDATION_FAILED, `${field} contains a NUL character or an unpaired UTF-16 surrogate.`, [
    { path: field, message: "must not contain NUL characters or unpaired surrogates" },
  ]);
}

/** Text → JSON under the limits above; every string in the result is storable. */
export function parseJsonText(text: string): unknown {
  if (!text.trim()) throw new AppError(ErrorCode.VALIDATION_FAILED, "The request body is empty; JSON expected.");
  assertJsonDepth(text);
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch {
    throw new AppError(ErrorCode.VALIDATION_FAILED, "The request body is not valid JSON.");
  }
  assertStorableStrings(value);
  return value;
}

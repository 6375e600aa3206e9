/*
 * The headers every page carries (proxy.ts): a nonce-based Content-Security-Policy, HSTS over
 * https and the Permissions-Policy. Static headers for everything else are in next.config.js.
 */

export const PERMISSIONS_POLICY = "camera=(), microphone=(), geolocation=(), payment=(), usb=(), serial=(), bluetooth=(), browsing-topics=()";
export const HSTS = "max-age=63072000; includeSubDomains";

/**
 * Scripts run only with this response's nonce ('strict-dynamic' lets Next's bootstrap load its
 * chunks); no inline script without it, no eval outside `next dev` (React's dev tooling needs it).
 * Styles may be inline: React and Tailwind set style attributes, and styles cannot run code.
 */
export function contentSecurityPolicy(opts: { nonce: string; frameAncestors: string; dev: boolean; https: boolean }): string {
  return [
    "default-src 'self'",
    `script-src 'self' 'nonce-${opts.nonce}' 'strict-dynamic'${opts.dev ? " 'unsafe-eval'" : ""}`,
    "style-src 'self' 'unsafe-inline'",
    "img-src 'self' data: blob:",
    "font-src 'self' data:",
    `connect-src 'self'${opts.dev ? " ws: wss:" : ""}`,
    "object-src 'none'",
    "base-uri 'self'",
    "form-action 'self'",
    `frame-ancestors ${opts.frameAncestors}`,
    ...(opts.https ? ["upgrade-insecure-requests"] : []),
  ].join("; ");
}

/** Whether the page was asked for over https (directly, or as a proxy in front of us says). */
export function isHttps(url: URL, forwardedProto: string | null): boolean {
  return url.protocol === "https:" || forwardedProto?.split(",")[0]?.trim() === "https";
}

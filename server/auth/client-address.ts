import { getConfig } from "@/server/config";

/**
 * The address a request came from. `npm start` (scripts/serve.ts) puts the TCP peer's address in
 * PEER_ADDRESS_HEADER, overwriting anything a client sent. X-Forwarded-For is believed only hop
 * by hop from there: while the nearest address is one of TRUSTED_PROXIES (comma-separated IPs),
 * the entry it added is taken instead, so a client cannot pick its own address by sending the
 * header. Without the peer header (next dev, in-process tests) the last X-Forwarded-For entry,
 * the one Next or the nearest proxy added, stands in for the peer.
 */
export const PEER_ADDRESS_HEADER = "x-pc-peer-address";

function trustedProxies(): Set<string> {
  return new Set(getConfig().trustedProxies);
}

function normalize(address: string): string {
  return address.startsWith("::ffff:") ? address.slice(7) : address;
}

export function clientAddress(headers: Headers, trusted = trustedProxies()): string {
  const forwarded = (headers.get("x-forwarded-for") ?? "").split(",").map((s) => normalize(s.trim())).filter(Boolean);
  const peer = headers.get(PEER_ADDRESS_HEADER);
  const chain = peer ? [...forwarded, normalize(peer)] : forwarded;
  for (let i = chain.length - 1; i >= 0; i--) {
    if (i === 0 || !trusted.has(chain[i]!)) return chain[i]!;
  }
  return headers.get("x-real-ip") ?? "unknown";
}

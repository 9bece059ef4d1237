/**
 * The address of the client behind a request, the one key of every per-address limit (sign-in, survey
 * links) in the API and in the web app. X-Forwarded-For is only believed as far as TRUST_PROXY says:
 * a client can write anything into it, so only the entries appended by proxies we trust count.
 */
import { BlockList, isIP } from 'node:net';

/** null: trust no proxy (the socket's peer is the client); a hop count; or the trusted proxies' addresses. */
export type TrustProxy = null | { hops: number } | { proxies: BlockList; list: string };

const NAMED_RANGES: Record<string, string[]> = {
  loopback: ['127.0.0.0/8', '::1/128'],
  private: ['10.0.0.0/8', '172.16.0.0/12', '192.168.0.0/16', 'fc00::/7', '169.254.0.0/16', 'fe80::/10'],
};

/** "::ffff:10.0.0.1" (IPv4 on an IPv6 socket) → "10.0.0.1", so one client has one key. */
export function normalizeAddress(address: string): string {
  const trimmed = address.trim().replace(/^\[(.*)\]$/, '$1');
  const mapped = /^::ffff:(\d+\.\d+\.\d+\.\d+)$/i.exec(trimmed);
  return (mapped ? mapped[1] : trimmed).toLowerCase();
}

/**
 * TRUST_PROXY: empty / "false" / "0" → none; a number → that many proxies in front (their entries of
 * X-Forwarded-For are taken from the right); otherwise a comma-separated list of addresses and CIDR ranges
 * of trusted proxies ("loopback" and "private" name the usual ranges). Throws on anything else.
 */
export function parseTrustProxy(value: string | undefined): TrustProxy {
  const text = (value ?? '').trim().toLowerCase();
  if (text === '' || text === 'false' || text === '0' || text === 'none') return null;
  if (/^\d+$/.test(text)) {
    const hops = Number(text);
    if (hops > 20) throw new Error('a hop count of at most 20');
    return { hops };
  }
  if (text === 'true') throw new Error('"true" would believe any client; give a hop count or the proxies\' addresses');
  const proxies = new BlockList();
  const entries = text
    .split(',')
    .map((s) => s.trim())
    .filter(Boolean);
  for (const entry of entries.flatMap((e) => NAMED_RANGES[e] ?? [e])) {
    const [address, bits, extra] = entry.split('/');
    const family = isIP(address);
    const max = family === 4 ? 32 : 128;
    const prefix = bits === undefined ? max : /^\d+$/.test(bits) ? Number(bits) : NaN;
    if (!family || extra !== undefined || !(prefix >= 0 && prefix <= max)) throw new Error(`"${entry}" is not an address or CIDR range`);
    proxies.addSubnet(address, prefix, family === 4 ? 'ipv4' : 'ipv6');
  }
  return { proxies, list: entries.join(',') };
}

function isTrusted(address: string, trust: { proxies: BlockList }): boolean {
  const family = isIP(address);
  return family !== 0 && trust.proxies.check(address, family === 4 ? 'ipv4' : 'ipv6');
}

/**
 * The client of a request that reached us from `peer` (the socket's remote address) with this
 * X-Forwarded-For header. Walks from the peer towards the client, one X-Forwarded-For entry (right to left)
 * per trusted hop, and stops at the first address not trusted or not an IP address.
 */
export function resolveClientAddress(peer: string | undefined | null, forwardedFor: string | string[] | null | undefined, trust: TrustProxy): string {
  if (!peer) return 'unknown';
  const first = normalizeAddress(peer);
  if (!trust || !forwardedFor) return first;
  const header = Array.isArray(forwardedFor) ? forwardedFor.join(',') : forwardedFor;
  const chain = [first, ...header.split(',').map(normalizeAddress).reverse()];
  let client = 0;
  while (client + 1 < chain.length) {
    const trusted = 'hops' in trust ? client < trust.hops : isTrusted(chain[client], trust);
    if (!trusted || isIP(chain[client + 1]) === 0) break;
    client++;
  }
  return chain[client];
}

/** Set by the server (api/src/main.ts) on every web request, overwriting what a client sent: the resolved address. */
export const CLIENT_ADDRESS_HEADER = 'x-rs-client-address';

// Where a webhook may post. A webhook URL is chosen by an administrator, but the request leaves from inside
// the company network, so it must not become a way to reach the server itself, the internal network or
// a cloud metadata service (SSRF). The URL's host is resolved, every address is checked, and the request
// then connects to exactly the checked address (no second DNS answer in between: DNS rebinding).
import { lookup as dnsLookup } from 'node:dns/promises';
import { isIP } from 'node:net';

/** Why an address is not a public destination; null when it is one. */
export type AddressClass =
  | 'unspecified'
  | 'loopback'
  | 'private'
  | 'shared' // carrier-grade NAT, 100.64.0.0/10
  | 'link_local'
  | 'metadata'
  | 'multicast'
  | 'broadcast'
  | 'reserved'
  | 'unique_local'
  | 'documentation';

/** Classes the allow-list can never open: nobody runs a webhook receiver on these. */
const NEVER_ALLOWED: ReadonlySet<AddressClass> = new Set(['unspecified', 'metadata', 'multicast', 'broadcast']);

interface Range {
  base: bigint;
  bits: number;
  width: 32 | 128;
  kind: AddressClass;
}

function parseIPv4(text: string): bigint | null {
  const parts = text.split('.');
  if (parts.length !== 4 || parts.some((p) => !/^\d{1,3}$/.test(p) || Number(p) > 255)) return null;
  return parts.reduce((acc, p) => (acc << 8n) | BigInt(Number(p)), 0n);
}

function parseIPv6(text: string): bigint | null {
  let s = text.toLowerCase().replace(/%.*$/, ''); // zone id
  // A trailing dotted IPv4 part (::ffff:127.0.0.1).
  const dotted = /(\d+\.\d+\.\d+\.\d+)$/.exec(s);
  if (dotted) {
    const v4 = parseIPv4(dotted[1]);
    if (v4 === null) return null;
    s = s.slice(0, -dotted[1].length) + `${(v4 >> 16n).toString(16)}:${(v4 & 0xffffn).toString(16)}`;
  }
  const halves = s.split('::');
  if (halves.length > 2) return null;
  const head = halves[0] ? halves[0].split(':') : [];
  const tail = halves.length === 2 && halves[1] ? halves[1].split(':') : [];
  const missing = 8 - head.length - tail.length;
  if (halves.length === 1 ? missing !== 0 : missing < 1) return null;
  const groups = [...head, ...Array(halves.length === 2 ? missing : 0).fill('0'), ...tail];
  if (groups.some((g) => !/^[0-9a-f]{1,4}$/.test(g))) return null;
  return groups.reduce((acc, g) => (acc << 16n) | BigInt(parseInt(g, 16)), 0n);
}

function v4(cidr: string, kind: AddressClass): Range {
  const [ip, bits] = cidr.split('/');
  return { base: parseIPv4(ip)!, bits: Number(bits), width: 32, kind };
}
function v6(cidr: string, kind: AddressClass): Range {
  const [ip, bits] = cidr.split('/');
  return { base: parseIPv6(ip)!, bits: Number(bits), width: 128, kind };
}

// Most specific first: the first match names the class.
const IPV4_RANGES: Range[] = [
  v4('169.254.169.254/32', 'metadata'), // AWS, GCP, Azure, OpenStack…
  v4('100.100.100.200/32', 'metadata'), // Alibaba Cloud
  v4('168.63.129.16/32', 'metadata'), // Azure wire server
  v4('255.255.255.255/32', 'broadcast'),
  v4('0.0.0.0/8', 'unspecified'),
  v4('10.0.0.0/8', 'private'),
  v4('100.64.0.0/10', 'shared'),
  v4('127.0.0.0/8', 'loopback'),
  v4('169.254.0.0/16', 'link_local'),
  v4('172.16.0.0/12', 'private'),
  v4('192.0.0.0/24', 'reserved'),
  v4('192.0.2.0/24', 'documentation'),
  v4('192.88.99.0/24', 'reserved'),
  v4('192.168.0.0/16', 'private'),
  v4('198.18.0.0/15', 'reserved'), // benchmarking
  v4('198.51.100.0/24', 'documentation'),
  v4('203.0.113.0/24', 'documentation'),
  v4('224.0.0.0/4', 'multicast'),
  v4('240.0.0.0/4', 'reserved'),
];

const IPV6_RANGES: Range[] = [
  v6('::/128', 'unspecified'),
  v6('::1/128', 'loopback'),
  v6('fd00:ec2::254/128', 'metadata'), // AWS over IPv6
  v6('fc00::/7', 'unique_local'),
  v6('fe80::/10', 'link_local'),
  v6('fec0::/10', 'private'), // deprecated site-local
  v6('ff00::/8', 'multicast'),
  v6('100::/64', 'reserved'), // discard-only
  v6('2001:db8::/32', 'documentation'),
  v6('2001::/23', 'reserved'), // IETF protocol assignments (Teredo etc.)
];

const inRange = (value: bigint, r: Range) => value >> BigInt(r.width - r.bits) === r.base >> BigInt(r.width - r.bits);

/** The IPv4 address carried inside an IPv6 one (mapped, compatible, NAT64, 6to4), when there is one. */
function embeddedIPv4(value: bigint): bigint | null {
  const top96 = value >> 32n;
  if (top96 === 0xffffn || top96 === 0n) return value & 0xffffffffn; // ::ffff:a.b.c.d, ::a.b.c.d
  if (top96 === 0x64ff9b0000000000000000n) return value & 0xffffffffn; // 64:ff9b::/96 NAT64
  if (value >> 112n === 0x2002n) return (value >> 80n) & 0xffffffffn; // 2002:aabb:ccdd::/48 6to4
  return null;
}

function classifyIPv4(value: bigint): AddressClass | null {
  return IPV4_RANGES.find((r) => inRange(value, r))?.kind ?? null;
}

/**
 * The class of an IP address that is not a public destination, or null for a public one. Accepts the
 * forms a URL host can take: dotted IPv4 in any spelling the WHATWG URL parser normalises (0x7f000001,
 * 2130706433, 0177.0.0.1, 127.1) and IPv6 with or without brackets, IPv4-mapped ones included.
 * Throws on something that is not an IP address.
 */
export function classifyAddress(address: string): AddressClass | null {
  const literal = normalizeIpLiteral(address);
  if (!literal) throw new Error(`not an IP address: ${address}`);
  if (isIP(literal) === 4) return classifyIPv4(parseIPv4(literal)!);
  const value = parseIPv6(literal)!;
  const embedded = embeddedIPv4(value);
  // ::/128 and ::1/128 sit inside the IPv4-compatible range; they are checked first.
  const own = IPV6_RANGES.find((r) => inRange(value, r))?.kind ?? null;
  if (own === 'unspecified' || own === 'loopback') return own;
  if (embedded !== null) return classifyIPv4(embedded) ?? own;
  return own;
}

/** An IP literal in canonical form (URL normalisation of odd IPv4 spellings, brackets removed); null otherwise. */
export function normalizeIpLiteral(host: string): string | null {
  const bare = host.replace(/^\[(.*)\]$/, '$1');
  if (isIP(bare)) return bare;
  if (!/^[0-9a-fA-FxX.]+$/.test(bare)) return null;
  try {
    const normalized = new URL(`http://${bare}/`).hostname;
    return isIP(normalized) === 4 ? normalized : null;
  } catch {
    return null;
  }
}

// ── The allow-list for receivers inside the company network ───────────────────────────────────────────

export interface AllowList {
  hosts: Set<string>;
  ranges: Range[];
}

/** `WEBHOOK_ALLOWED_HOSTS`: host names and IP addresses or CIDR ranges, separated by commas or spaces. */
export function parseAllowList(value: string | undefined): AllowList {
  const list: AllowList = { hosts: new Set(), ranges: [] };
  for (const entry of (value ?? '').split(/[\s,]+/).filter(Boolean)) {
    const [ip, bits] = entry.split('/');
    const literal = normalizeIpLiteral(ip);
    if (literal && isIP(literal) === 4)
      list.ranges.push({ base: parseIPv4(literal)!, bits: bits === undefined ? 32 : Number(bits), width: 32, kind: 'private' });
    else if (literal) list.ranges.push({ base: parseIPv6(literal)!, bits: bits === undefined ? 128 : Number(bits), width: 128, kind: 'private' });
    else if (bits === undefined) list.hosts.add(entry.toLowerCase().replace(/\.$/, ''));
    else throw new Error(`not a CIDR range: ${entry}`);
  }
  return list;
}

/** Checks a WEBHOOK_ALLOWED_HOSTS value (for the environment schema): the problem, or null. */
export function allowListProblem(value: string): string | null {
  try {
    const list = parseAllowList(value);
    const bad = list.ranges.find((r) => !Number.isInteger(r.bits) || r.bits < 0 || r.bits > r.width);
    return bad ? 'a CIDR prefix length is out of range' : null;
  } catch (error) {
    return (error as Error).message;
  }
}

function allowedByRange(address: string, list: AllowList): boolean {
  const family = isIP(address);
  const value = family === 4 ? parseIPv4(address)! : parseIPv6(address)!;
  return list.ranges.some((r) => (r.width === 32 ? family === 4 && inRange(value, r) : family === 6 && inRange(value, r)));
}

// ── Checking a destination ───────────────────────────────────────────────────────────────────────────

export interface DestinationSettings {
  WEBHOOK_ALLOW_HTTP: boolean;
  WEBHOOK_ALLOWED_HOSTS?: string;
}

export type Resolver = (hostname: string) => Promise<{ address: string; family: number }[]>;

const systemResolver: Resolver = (hostname) => dnsLookup(hostname, { all: true, verbatim: true });

export type DestinationCheck =
  | { ok: true; url: URL; hostname: string; address: string; family: 4 | 6; addresses: { address: string; family: 4 | 6 }[] }
  | { ok: false; reason: string };

/**
 * Resolves the URL's host and decides whether a webhook may post there. On success, `address` is the
 * checked address to connect to. Refused: anything but https (http only with WEBHOOK_ALLOW_HTTP), user
 * info in the URL, a host that does not resolve, and a host any of whose addresses is not public unless
 * the allow-list names the host or covers the address.
 */
export async function checkDestination(rawUrl: string, settings: DestinationSettings, resolve: Resolver = systemResolver): Promise<DestinationCheck> {
  let url: URL;
  try {
    url = new URL(rawUrl);
  } catch {
    return { ok: false, reason: 'not a URL' };
  }
  if (url.protocol !== 'https:' && !(url.protocol === 'http:' && settings.WEBHOOK_ALLOW_HTTP)) {
    return { ok: false, reason: settings.WEBHOOK_ALLOW_HTTP ? 'must be an http(s) URL' : 'must be an https URL (http is switched off: WEBHOOK_ALLOW_HTTP)' };
  }
  if (url.username || url.password) return { ok: false, reason: 'must not contain a user name or password' };
  const hostname = url.hostname
    .replace(/^\[(.*)\]$/, '$1')
    .toLowerCase()
    .replace(/\.$/, '');
  const literal = normalizeIpLiteral(hostname);
  let addresses: { address: string; family: number }[];
  if (literal) addresses = [{ address: literal, family: isIP(literal) }];
  else {
    try {
      addresses = await resolve(hostname);
    } catch {
      return { ok: false, reason: 'the host name does not resolve' };
    }
    if (addresses.length === 0) return { ok: false, reason: 'the host name does not resolve' };
  }
  const allow = parseAllowList(settings.WEBHOOK_ALLOWED_HOSTS);
  const hostAllowed = !literal && allow.hosts.has(hostname);
  for (const { address } of addresses) {
    const kind = classifyAddress(address);
    if (kind === null) continue;
    if (NEVER_ALLOWED.has(kind)) return { ok: false, reason: `resolves to a ${kind.replace('_', '-')} address` };
    if (hostAllowed || allowedByRange(normalizeIpLiteral(address)!, allow)) continue;
    return { ok: false, reason: `resolves to a ${kind.replace('_', '-')} address (not in WEBHOOK_ALLOWED_HOSTS)` };
  }
  // Every address passed; IPv4 first, as most receivers listen there.
  const checked = addresses
    .map((a) => normalizeIpLiteral(a.address)!)
    .map((address) => ({ address, family: isIP(address) as 4 | 6 }))
    .sort((a, b) => a.family - b.family);
  return { ok: true, url, hostname, address: checked[0].address, family: checked[0].family, addresses: checked };
}

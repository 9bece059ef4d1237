// Tests and benchmarks send traffic only to loopback. This guard, loaded before every test file and by each
// benchmark, refuses to open any socket to another address: a refusal test (webhook destinations) that
// regressed fails on this error instead of reaching the address it names. Host names other than
// `localhost` are refused too, as their address is not known before the lookup.
import net from 'node:net';

const LOOPBACK_NAMES = new Set(['localhost', 'localhost.']);

function isLoopback(host: string): boolean {
  const bare = host.startsWith('[') && host.endsWith(']') ? host.slice(1, -1) : host;
  if (LOOPBACK_NAMES.has(bare.toLowerCase())) return true;
  if (net.isIPv4(bare)) return bare.startsWith('127.');
  if (net.isIPv6(bare)) return bare === '::1' || /^::ffff:127\./i.test(bare);
  return false;
}

/** The TCP host a Socket#connect call names, or null for a Unix socket path. */
function hostOf(args: unknown[]): string | null {
  const [first, second] = args;
  if (Array.isArray(first)) return hostOf(first); // the internal normalized form
  if (first && typeof first === 'object') {
    const options = first as { path?: string; host?: string };
    if (options.path !== undefined) return null;
    return options.host ?? 'localhost';
  }
  if (typeof first === 'string' && Number.isNaN(Number(first))) return null; // a path
  return typeof second === 'string' ? second : 'localhost';
}

const GUARDED = Symbol.for('rental-satisfaction.loopbackOnly');
const proto = net.Socket.prototype as net.Socket & { [GUARDED]?: true };
if (!proto[GUARDED]) {
  const connect = proto.connect;
  proto.connect = function guardedConnect(this: net.Socket, ...args: unknown[]) {
    const host = hostOf(args);
    if (host !== null && !isLoopback(host)) throw new Error(`test network guard: refused a connection to ${host} (loopback only)`);
    return (connect as (...a: unknown[]) => net.Socket).apply(this, args);
  } as typeof proto.connect;
  proto[GUARDED] = true;
}

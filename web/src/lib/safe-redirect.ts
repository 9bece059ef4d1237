/**
 * The one check for redirect targets a user can choose (`/login?next=…`, the language switch's `back`):
 * only paths on this site. Browsers forgive a lot in a Location header — they drop tabs and newlines,
 * read "\" as "/", and "//host" or "/\host" leave the site — so anything with control characters,
 * backslashes, whitespace, characters outside printable ASCII, or a second leading slash or backslash,
 * also after percent-decoding, falls back to the default.
 */
const BASE = 'http://same-origin.invalid';
// Printable ASCII except the backslash: what a path (already percent-encoded) consists of.
const PLAIN_PATH = /^\/(?![/\\])[\x21-\x5b\x5d-\x7e]*$/;

function isPlainPath(target: string): boolean {
  return PLAIN_PATH.test(target);
}

/** `target` when it is a path on this site, otherwise `fallback`. */
export function safeRedirectTarget(target: unknown, fallback = '/'): string {
  if (typeof target !== 'string' || target.length > 2000 || !isPlainPath(target)) return fallback;
  // No decoding layer may turn it into another site's address ("/%2F/evil", "/%5Cevil", "/%09/evil", twice encoded…).
  let layer = target;
  for (let i = 0; i < 4; i++) {
    let decoded: string;
    try {
      decoded = decodeURIComponent(layer);
    } catch {
      return fallback;
    }
    if (decoded === layer) break;
    layer = decoded;
    if (/^\/[/\\]/.test(layer) || /[\\\u0000-\u001f\u007f-\u009f]/.test(layer)) return fallback;
  }
  // Last word to the URL parser itself: the target must stay on this origin.
  try {
    if (new URL(target, BASE).origin !== BASE) return fallback;
  } catch {
    return fallback;
  }
  return target;
}

// Logo uploads: the type is read from the file's first bytes (not from what the client says), only raster
// images a mail client and a browser show without scripts (PNG, JPEG, WebP; no SVG), at most 200 KiB and
// 1,000 × 1,000 pixels where the header says so.
import type { ProblemFieldError } from '../lib/problem.ts';

export const LOGO_MAX_BYTES = 200 * 1024;
export const LOGO_MAX_PIXELS = 1000;
export type LogoType = 'image/png' | 'image/jpeg' | 'image/webp';

export function sniffLogoType(bytes: Uint8Array): LogoType | null {
  const starts = (sig: number[], at = 0) => sig.every((b, i) => bytes[at + i] === b);
  if (starts([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a])) return 'image/png';
  if (starts([0xff, 0xd8, 0xff])) return 'image/jpeg';
  if (starts([0x52, 0x49, 0x46, 0x46]) && starts([0x57, 0x45, 0x42, 0x50], 8)) return 'image/webp';
  return null;
}

/** Width and height from a PNG header (IHDR); null for other types. */
function pngSize(bytes: Uint8Array): { width: number; height: number } | null {
  if (bytes.length < 24) return null;
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  return { width: view.getUint32(16), height: view.getUint32(20) };
}

/** The faults of an uploaded logo (field `logo`), or its type. */
export function checkLogo(bytes: Uint8Array): { ok: true; type: LogoType } | { ok: false; status: 400 | 413 | 415; errors: ProblemFieldError[] } {
  if (bytes.length === 0) return { ok: false, status: 400, errors: [{ path: 'logo', code: 'empty', message: 'the file is empty' }] };
  if (bytes.length > LOGO_MAX_BYTES) {
    return {
      ok: false,
      status: 413,
      errors: [{ path: 'logo', code: 'too_large', message: `a logo may have at most ${LOGO_MAX_BYTES / 1024} KiB`, params: { max: LOGO_MAX_BYTES } }],
    };
  }
  const type = sniffLogoType(bytes);
  if (!type) return { ok: false, status: 415, errors: [{ path: 'logo', code: 'type', message: 'a logo must be a PNG, JPEG or WebP image' }] };
  const size = type === 'image/png' ? pngSize(bytes) : null;
  if (size && (size.width > LOGO_MAX_PIXELS || size.height > LOGO_MAX_PIXELS || size.width === 0 || size.height === 0)) {
    return {
      ok: false,
      status: 400,
      errors: [
        {
          path: 'logo',
          code: 'dimensions',
          message: `a logo may be at most ${LOGO_MAX_PIXELS} × ${LOGO_MAX_PIXELS} pixels (this one is ${size.width} × ${size.height})`,
        },
      ],
    };
  }
  return { ok: true, type };
}

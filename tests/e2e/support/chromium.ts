// Which Chromium the browser tests launch. Playwright's own browser download is not used: CHROMIUM_PATH
// when set; else the system Chromium (Debian's package) when present; else the Chromium that the npm
// package @sparticuz/chromium carries in its tarball, so `npm install && npm test` needs nothing else.
import { existsSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

export interface ChromiumLaunch {
  executablePath: string;
  args: string[];
  /** Extra environment for the browser process (only for the packaged Chromium). */
  env?: Record<string, string>;
  source: 'CHROMIUM_PATH' | 'system' | '@sparticuz/chromium';
}

const ARGS = ['--no-sandbox', '--disable-gpu', '--disable-background-networking', '--disable-component-update', '--disable-sync'];

/** Where the system Chromium is looked for; CHROMIUM_SYSTEM_PATH overrides it (tests of the fallback). */
const systemPath = () => process.env.CHROMIUM_SYSTEM_PATH ?? '/usr/bin/chromium';

export async function resolveChromium(): Promise<ChromiumLaunch> {
  if (process.env.CHROMIUM_PATH) return { executablePath: process.env.CHROMIUM_PATH, args: ARGS, source: 'CHROMIUM_PATH' };
  if (existsSync(systemPath())) return { executablePath: systemPath(), args: ARGS, source: 'system' };
  const { default: chromium, inflate } = await import('@sparticuz/chromium');
  // Unpacks the brotli-compressed binary, its fonts and SwiftShader into the temp folder (once).
  const executablePath = await chromium.executablePath();
  // The package also carries the NSS/NSPR/expat libraries the binary links against (for Amazon Linux);
  // unpacked and put on the library path, the browser runs on a machine that has none of them.
  const bin = path.join(path.dirname(fileURLToPath(import.meta.resolve('@sparticuz/chromium'))), '..', 'bin');
  const libDir = path.join(tmpdir(), 'al2023', 'lib');
  if (!existsSync(path.join(libDir, 'libnss3.so'))) await inflate(path.join(bin, 'al2023.tar.br'));
  const inherited = process.env.LD_LIBRARY_PATH;
  return {
    executablePath,
    args: ARGS,
    env: {
      LD_LIBRARY_PATH: inherited ? `${libDir}:${inherited}` : libDir,
      FONTCONFIG_PATH: process.env.FONTCONFIG_PATH ?? path.join(tmpdir(), 'fonts'),
    },
    source: '@sparticuz/chromium',
  };
}

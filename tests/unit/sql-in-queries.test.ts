// All SQL of the API lives in its domains' *.queries.ts files (docs/architecture.md): a handler, job or
// helper calls a query function and never writes a statement itself. This scans api/src for statements
// outside those files: postgres.js or drizzle tagged templates (sql`…`), drizzle query builders
// (.select(…).from, .insert(t).values, .update(t).set, .delete(t).where) and .execute(…).
// Outside the domains, the database's own plumbing may: the schema and client (db/), the job queue
// (queue/), the operations tools that talk to servers directly (ops/), the demo data (demo/) and the
// health check's `select 1` (app.ts).
import { readdirSync, readFileSync, statSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';

const apiSrc = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../../api/src');
const PLUMBING = ['db/', 'queue/', 'ops/', 'demo/', 'app.ts'];
/** SQL fragment builders that queries compose (a WHERE condition), not statements. */
const FRAGMENTS = ['access/scope.ts', 'distribution/segments.ts'];

const STATEMENT_PATTERNS: [string, RegExp][] = [
  ['tagged SQL template', /\b(sql|dsql|t|client)\s*(<[^`;]*?>)?\s*`/],
  ['select … from', /\.select(Distinct)?\((\{[\s\S]*?\})?\)\s*\.from\(/],
  ['insert … values', /\.insert\(\w+\)\s*\.values\(/],
  ['update … set', /\.update\(\w+\)\s*\.set\(/],
  ['delete … where', /\.delete\(\w+\)\s*\.where\(/],
  ['execute', /\.execute(<[^>]*>)?\(/],
];

function sourceFiles(dir: string, rel = ''): string[] {
  return readdirSync(dir).flatMap((name) => {
    const full = path.join(dir, name);
    const relative = rel ? `${rel}/${name}` : name;
    if (statSync(full).isDirectory()) return sourceFiles(full, relative);
    return name.endsWith('.ts') ? [relative] : [];
  });
}

/** The code without comments (a statement quoted in a comment is not a statement). */
const code = (text: string) => text.replace(/\/\*[\s\S]*?\*\//g, '').replace(/(^|[^:'"`])\/\/.*$/gm, '$1');

/** Where a file writes SQL itself: the kind of statement and the line. */
function statementsIn(file: string): string[] {
  const text = code(readFileSync(path.join(apiSrc, file), 'utf8'));
  return STATEMENT_PATTERNS.flatMap(([kind, pattern]) => {
    const match = pattern.exec(text);
    return match ? [`${file}:${text.slice(0, match.index).split('\n').length} (${kind})`] : [];
  });
}

describe('SQL only in *.queries.ts', () => {
  const files = sourceFiles(apiSrc);

  it('finds the statements this check looks for (the patterns still match real code)', () => {
    expect(statementsIn('access/auth.queries.ts').length).toBeGreaterThan(0);
    expect(statementsIn('distribution/sender.queries.ts').some((s) => s.includes('tagged SQL template'))).toBe(true);
  });

  it('has no statement in a domain file that is not a *.queries.ts', () => {
    const outside = files.filter((f) => !f.endsWith('.queries.ts') && !PLUMBING.some((p) => f.startsWith(p)) && !FRAGMENTS.includes(f)).flatMap(statementsIn);
    expect(outside).toEqual([]);
  });
});

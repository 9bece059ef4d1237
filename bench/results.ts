// Every benchmark writes its own section of bench/RESULTS.md between `<!-- bench:NAME -->` markers.
import { readFile, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

export const resultsFile = path.join(path.dirname(fileURLToPath(import.meta.url)), 'RESULTS.md');

/** Replaces (or appends) the section of one benchmark, leaving the others as they are. */
export async function writeResultsSection(name: string, body: string): Promise<void> {
  let existing = '# Benchmark results\n';
  try {
    existing = await readFile(resultsFile, 'utf8');
  } catch {
    /* first run */
  }
  const block = `<!-- bench:${name} -->\n${body.trim()}\n<!-- /bench:${name} -->`;
  const pattern = new RegExp(`<!-- bench:${name} -->[\\s\\S]*?<!-- /bench:${name} -->`);
  const next = pattern.test(existing) ? existing.replace(pattern, () => block) : `${existing.trimEnd()}\n\n${block}\n`;
  await writeFile(resultsFile, next);
}

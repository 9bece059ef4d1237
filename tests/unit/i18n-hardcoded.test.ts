// Every text the staff UI shows comes from the translation table: the Svelte markup of web/src has no
// English words of its own (text between tags, or in label/title/placeholder/aria-label attributes).
// Customers' pages take their texts from the survey definition and lib/survey/texts.ts.
import { readdirSync, readFileSync, statSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';

const webSrc = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../../web/src');

function svelteFiles(dir: string): string[] {
  return readdirSync(dir).flatMap((name) => {
    const full = path.join(dir, name);
    if (statSync(full).isDirectory()) return svelteFiles(full);
    return name.endsWith('.svelte') ? [full] : [];
  });
}

/** Metric names, units and protocol words that read the same in both languages. */
const SAME_IN_BOTH = /^(CSV|NPS|CSI|CSAT|PP100|SLA|API|URL|ID|JSON|SMS|n|px|v\d*|OK|https?)$/;
/** Placeholders that show a value's format, not a sentence: an IANA time zone, a URL scheme. */
const FORMAT_EXAMPLE = /^([A-Z][a-z]+\/[A-Za-z_]+|https?:\/\/)$/;

/** The markup of a component with scripts, styles, comments and {expressions} blanked out. */
function markupOf(source: string): string {
  let s = source
    .replace(/<script[\s\S]*?<\/script>/g, '')
    .replace(/<style[\s\S]*?<\/style>/g, '')
    .replace(/<!--[\s\S]*?-->/g, '')
    // Code samples (a signature formula, a header) are not sentences to translate.
    .replace(/<(code|pre)\b[^>]*>[\s\S]*?<\/\1>/g, '');
  // Nested braces: blank innermost first.
  for (let i = 0; i < 6; i++) s = s.replace(/\{[^{}]*\}/g, '');
  return s;
}

/** English words in a piece of text: two or more letters, not a metric name or unit. */
const englishWords = (text: string) => (text.match(/[A-Za-z][A-Za-z'’-]+/g) ?? []).filter((w) => !SAME_IN_BOTH.test(w));

function hardCodedTexts(source: string): string[] {
  const markup = markupOf(source);
  const found: string[] = [];
  // Text between tags.
  for (const m of markup.matchAll(/>([^<>]+)</g)) {
    const text = m[1].trim();
    if (text && englishWords(text).length > 0) found.push(text);
  }
  // Attributes people read.
  for (const m of markup.matchAll(/\s(label|title|placeholder|aria-label|alt|changeLabel|what|nLabel)="([^"]*)"/g)) {
    if (!FORMAT_EXAMPLE.test(m[2]) && englishWords(m[2]).length > 0) found.push(`${m[1]}="${m[2]}"`);
  }
  return found;
}

describe('hard-coded UI texts', () => {
  it('finds them (the check itself)', () => {
    expect(hardCodedTexts('<script>const a = "Hello there";</script><p>{t(ui, "x")}</p><th>n</th>')).toEqual([]);
    expect(hardCodedTexts('<GroupTable changeLabel="± vs rest" /><p>Saved {n} rows</p>')).toEqual(['Saved  rows', 'changeLabel="± vs rest"']);
  });

  it('no Svelte component of the web app shows English words of its own', () => {
    const offenders: string[] = [];
    for (const file of svelteFiles(webSrc)) {
      for (const text of hardCodedTexts(readFileSync(file, 'utf8'))) offenders.push(`${path.relative(webSrc, file)}: ${text}`);
    }
    expect(offenders).toEqual([]);
  });
});

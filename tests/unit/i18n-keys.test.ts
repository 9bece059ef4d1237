// The UI translation table (web/src/lib/i18n.ts): both languages have every key, with the same
// placeholders, and every key the web sources ask for by name exists.
import { readdirSync, readFileSync, statSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { messages } from '../../web/src/lib/i18n.ts';

const webSrc = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../../web/src');
const zh = messages['zh-CN'] as Record<string, string>;
const en = messages.en as Record<string, string>;
const placeholders = (text: string) => [...text.matchAll(/\{(\w+)\}/g)].map((m) => m[1]).sort();

function sourceFiles(dir: string): string[] {
  return readdirSync(dir).flatMap((name) => {
    const full = path.join(dir, name);
    if (statSync(full).isDirectory()) return sourceFiles(full);
    return /\.(svelte|ts)$/.test(name) ? [full] : [];
  });
}

describe('UI translation table', () => {
  it('zh-CN and en have the same keys', () => {
    const onlyZh = Object.keys(zh).filter((k) => !(k in en));
    const onlyEn = Object.keys(en).filter((k) => !(k in zh));
    expect({ onlyZh, onlyEn }).toEqual({ onlyZh: [], onlyEn: [] });
    expect(Object.keys(en).length).toBeGreaterThan(500);
  });

  it('each text has the same placeholders in both languages and none is empty', () => {
    const mismatched = Object.keys(en).filter((k) => k in zh && placeholders(zh[k]).join() !== placeholders(en[k]).join());
    expect(mismatched).toEqual([]);
    const empty = Object.entries({
      ...Object.fromEntries(Object.entries(zh).map(([k, v]) => [`zh-CN ${k}`, v])),
      ...Object.fromEntries(Object.entries(en).map(([k, v]) => [`en ${k}`, v])),
    })
      .filter(([, v]) => !v.trim())
      .map(([k]) => k);
    expect(empty).toEqual([]);
  });

  it('every key the web sources name in t(…, "key") exists in both languages', () => {
    const unknown: string[] = [];
    for (const file of sourceFiles(webSrc)) {
      if (file.endsWith(`${path.sep}i18n.ts`)) continue;
      const text = readFileSync(file, 'utf8');
      for (const m of text.matchAll(/\bt\(\s*[\w.]+\s*,\s*'([A-Za-z][\w.-]*)'/g)) {
        if (!(m[1] in en) || !(m[1] in zh)) unknown.push(`${path.relative(webSrc, file)}: ${m[1]}`);
      }
    }
    expect(unknown).toEqual([]);
  });
});

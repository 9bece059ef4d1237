// The translation table is kept per area (web/src/lib/i18n/*.ts) and merged by web/src/lib/i18n.ts:
// every area has the same keys in both languages, no key lives in two areas, and the merge keeps them all.
import { readdirSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { messages } from '../../web/src/lib/i18n.ts';

const areaDir = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../../web/src/lib/i18n');
type Table = { 'zh-CN': Record<string, string>; en: Record<string, string> };

async function areas(): Promise<[string, Table][]> {
  const files = readdirSync(areaDir).filter((f) => f.endsWith('.ts'));
  return Promise.all(
    files.map(async (file) => {
      const mod = (await import(path.join(areaDir, file))) as Record<string, Table>;
      const tables = Object.values(mod);
      expect(tables, `${file} exports one table`).toHaveLength(1);
      return [file, tables[0]] as [string, Table];
    }),
  );
}

describe('translation areas', () => {
  it('each area has the same keys in zh-CN and en', async () => {
    const found = await areas();
    expect(found.length).toBeGreaterThan(3);
    for (const [file, table] of found) {
      const zh = Object.keys(table['zh-CN']).sort();
      const en = Object.keys(table.en).sort();
      expect({ file, onlyZh: zh.filter((k) => !en.includes(k)), onlyEn: en.filter((k) => !zh.includes(k)) }).toEqual({ file, onlyZh: [], onlyEn: [] });
    }
  });

  it('no key is in two areas, and the merged table holds every key of every area', async () => {
    const owner = new Map<string, string>();
    const twice: string[] = [];
    for (const [file, table] of await areas()) {
      for (const key of Object.keys(table.en)) {
        if (owner.has(key)) twice.push(`${key}: ${owner.get(key)} and ${file}`);
        owner.set(key, file);
      }
    }
    expect(twice).toEqual([]);
    expect(Object.keys(messages.en).sort()).toEqual([...owner.keys()].sort());
    expect(Object.keys(messages['zh-CN']).sort()).toEqual([...owner.keys()].sort());
  });
});

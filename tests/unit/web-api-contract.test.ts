// The web reads the API through one contract (api/src/contract.ts: types inferred from the routes' zod
// schemas). These checks keep it so: the web imports the API as types only, every call of the thin client
// names a contract type, no web file declares its own copy of a contract shape, and the words the case
// pages show are the ones the owners' e-mails use.
import { readdirSync, readFileSync, statSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import * as caseWords from '../../api/src/cases/describe.ts';
import { messages } from '../../web/src/lib/i18n.ts';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../..');
const webSrc = path.join(root, 'web/src');

function sourceFiles(dir: string): string[] {
  return readdirSync(dir).flatMap((name) => {
    const full = path.join(dir, name);
    if (statSync(full).isDirectory()) return sourceFiles(full);
    return /\.(svelte|ts)$/.test(name) ? [full] : [];
  });
}

const sources = sourceFiles(webSrc).map((file) => ({ file: path.relative(root, file), text: readFileSync(file, 'utf8') }));
const contractNames = [...readFileSync(path.join(root, 'api/src/contract.ts'), 'utf8').matchAll(/^export type (\w+)/gm)].map((m) => m[1]);

/** Every import/export statement of a file that names a module, with the module. */
function moduleStatements(text: string) {
  return [...text.matchAll(/^\s*((?:import|export)\b[^;'"]*?\bfrom\s*['"]([^'"]+)['"])/gm)].map((m) => ({ statement: m[1], module: m[2] }));
}

/** Names a file imports from the contract (after `as`, when renamed). */
function contractImports(text: string): Set<string> {
  const names = new Set<string>();
  for (const { statement, module } of moduleStatements(text)) {
    if (module !== '@rs/api/contract') continue;
    const list = /\{([^}]*)\}/.exec(statement)?.[1] ?? '';
    for (const part of list.split(',')) {
      const name = part
        .trim()
        .split(/\s+as\s+/)
        .pop()
        ?.replace(/^type\s+/, '');
      if (name) names.add(name);
    }
  }
  return names;
}

/** Type parameters a file's generic functions declare (`function fetchLoaded<T>`): they pass a caller's contract type on. */
const typeParameters = (text: string) => new Set([...text.matchAll(/\bfunction\s+\w+\s*<\s*(\w+)/g)].map((m) => m[1]));

/** The type argument of each call of the client and its wrappers (`api<…>(`, `write<…>(`, `fetchLoaded<…>(`), or null without one. */
function clientCalls(text: string): { call: string; typeArgument: string | null }[] {
  const calls: { call: string; typeArgument: string | null }[] = [];
  for (const m of text.matchAll(/(?<![\w.])(api|write|fetchLoaded)\s*(<|\()/g)) {
    const start = m.index! + m[0].length;
    if (m[2] === '(') {
      calls.push({ call: m[1], typeArgument: null });
      continue;
    }
    let depth = 1;
    let i = start;
    for (; i < text.length && depth > 0; i++) {
      if (text[i] === '<') depth++;
      if (text[i] === '>') depth--;
    }
    calls.push({ call: m[1], typeArgument: text.slice(start, i - 1).trim() });
  }
  return calls;
}

describe('the web reads the API through the contract', () => {
  it('imports @rs/api with `import type` / `export type` only: nothing of the API runs in the web app', () => {
    const runtime = sources.flatMap(({ file, text }) =>
      moduleStatements(text)
        .filter(({ module }) => module === '@rs/api' || module.startsWith('@rs/api/'))
        .filter(({ statement }) => !/^\s*(import|export)\s+type\b/.test(statement))
        .map(({ statement }) => `${file}: ${statement.trim()}`),
    );
    const dynamic = sources.filter(({ text }) => /import\(\s*['"]@rs\/api/.test(text)).map(({ file }) => file);
    expect({ runtime, dynamic }).toEqual({ runtime: [], dynamic: [] });
  });

  it('takes API types from the contract module only (not from a domain file of the API)', () => {
    const other = sources.flatMap(({ file, text }) =>
      moduleStatements(text)
        .filter(({ module }) => (module === '@rs/api' || module.startsWith('@rs/api/')) && module !== '@rs/api/contract')
        .map(({ module }) => `${file}: ${module}`),
    );
    expect(other).toEqual([]);
  });

  it('the check above sees a runtime import', () => {
    const sample = "import { label } from '@rs/api/cases/describe';\nimport type { Me } from '@rs/api/contract';";
    const found = moduleStatements(sample).filter(({ statement }) => !/^\s*(import|export)\s+type\b/.test(statement));
    expect(found.map((s) => s.module)).toEqual(['@rs/api/cases/describe']);
  });

  it('names a contract type (or null for an empty answer) at every call of the API client', () => {
    const bad: string[] = [];
    for (const { file, text } of sources) {
      const known = new Set([...contractImports(text), ...typeParameters(text)]);
      for (const { call, typeArgument } of clientCalls(text)) {
        if (typeArgument === null) {
          bad.push(`${file}: ${call}(…) without a type`);
          continue;
        }
        const words = typeArgument.match(/[A-Za-z_]\w*/g) ?? [];
        const foreign = words.filter((w) => w !== 'null' && !known.has(w));
        if (foreign.length > 0 || /[{]/.test(typeArgument)) bad.push(`${file}: ${call}<${typeArgument}>`);
      }
    }
    expect(bad).toEqual([]);
  });

  it('the call check finds calls without a contract type', () => {
    const text =
      "import type { Me } from '@rs/api/contract';\napi<Me>(fetch, '/auth/me');\napi<{ id: string }>(fetch, '/x');\napi(fetch, '/y');\nfetchLoaded<Summary>(fetch, '/z');";
    const calls = clientCalls(text);
    expect(calls.map((c) => c.typeArgument)).toEqual(['Me', '{ id: string }', null, 'Summary']);
    expect(contractImports(text)).toEqual(new Set(['Me']));
  });

  it('declares no copy of a contract shape', () => {
    expect(contractNames.length).toBeGreaterThan(80);
    const copies = sources.flatMap(({ file, text }) =>
      [...text.matchAll(/^\s*(?:export\s+)?(?:interface\s+(\w+)|type\s+(\w+)\s*(?:<[^=]*>)?\s*=\s*\{)/gm)]
        .map((m) => m[1] ?? m[2])
        .filter((name) => contractNames.includes(name))
        .map((name) => `${file}: ${name}`),
    );
    expect(copies).toEqual([]);
  });

  it('treats no answer of our own API as "not on this server yet": a 404 or 501 is an error the page shows', () => {
    const guesses = sources
      .filter(({ text }) => /NEWER_PARAMETERS|status: 'unavailable'|status === 'unavailable'|fetchOptional/.test(text))
      .map(({ file }) => file);
    expect(guesses).toEqual([]);
  });

  it('the hand-written type files are gone', () => {
    const gone = [
      'web/src/lib/types.ts',
      'web/src/lib/dashboard/types.ts',
      'web/src/lib/dashboard/explorer-types.ts',
      'web/src/lib/dashboard/normalize.ts',
      'web/src/lib/cases/types.ts',
      'web/src/lib/builder/types.ts',
      'web/src/routes/admin/types.ts',
      'web/src/routes/distribution/types.ts',
    ];
    expect(gone.filter((file) => sources.some((s) => s.file === file))).toEqual([]);
  });

  it('declares @rs/api as a development dependency of the web app (types only)', () => {
    const pkg = JSON.parse(readFileSync(path.join(root, 'web/package.json'), 'utf8'));
    expect(pkg.dependencies?.['@rs/api']).toBeUndefined();
    expect(pkg.devDependencies?.['@rs/api']).toBeDefined();
  });
});

describe('case values in the UI', () => {
  const tables: [string, Record<'zh-CN' | 'en', Record<string, string>>][] = [
    ['status', caseWords.STATUS_LABELS],
    ['priority', caseWords.PRIORITY_LABELS],
    ['rootCause', caseWords.ROOT_CAUSE_LABELS],
    ['compensation', caseWords.COMPENSATION_LABELS],
    ['channel', caseWords.CHANNEL_LABELS],
    ['level', caseWords.LEVEL_LABELS],
  ];

  it('the translation table has the words of the owners’ e-mails for every value, in both languages', () => {
    const differ: string[] = [];
    for (const [group, labels] of tables) {
      for (const locale of ['zh-CN', 'en'] as const) {
        for (const [value, word] of Object.entries(labels[locale])) {
          const key = `caseValue.${group}.${value}`;
          const shown = (messages[locale] as Record<string, string>)[key];
          if (shown !== word) differ.push(`${locale} ${key}: ${shown} ≠ ${word}`);
        }
      }
    }
    expect(differ).toEqual([]);
  });
});

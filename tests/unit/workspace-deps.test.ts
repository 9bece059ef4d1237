// The npm workspaces depend on each other in one direction only: every workspace a source file imports
// (by package name, `@rs/…`, or by a relative path that climbs out of its folder) is declared in that
// workspace's package.json, the declared and imported dependencies form no cycle, and the survey
// definition (packages/survey-definition) is a leaf that imports no other workspace.
import { readdirSync, readFileSync, statSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import ts from 'typescript';
import { describe, expect, it } from 'vitest';

const repoRoot = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../..');
const SKIP_DIRS = new Set(['node_modules', 'build', '.svelte-kit', 'test-results', 'playwright-report', '.tmp', 'data', 'dist']);
const SOURCE = /\.(ts|mts|js|mjs|svelte)$/;

/**
 * Imports allowed as `import type` only: the web app may name the API's request and response types
 * (erased at build time), but no API code runs in the browser or in the web server's bundle.
 */
const TYPE_ONLY: Record<string, string[]> = { '@rs/web': ['@rs/api'] };
/** Workspaces that must not import or declare any other workspace. */
const LEAVES = ['@rs/survey-definition'];

interface Workspace {
  dir: string;
  name: string;
  declared: Set<string>;
}

const rootPackage = JSON.parse(readFileSync(path.join(repoRoot, 'package.json'), 'utf8')) as { workspaces: string[] };
const workspaces: Workspace[] = rootPackage.workspaces.map((dir) => {
  const pkg = JSON.parse(readFileSync(path.join(repoRoot, dir, 'package.json'), 'utf8'));
  const deps = { ...pkg.dependencies, ...pkg.devDependencies, ...pkg.peerDependencies, ...pkg.optionalDependencies };
  return { dir: path.join(repoRoot, dir), name: pkg.name, declared: new Set(Object.keys(deps)) };
});
const byName = new Map(workspaces.map((w) => [w.name, w]));
const isWorkspaceName = (name: string) => byName.has(name);

function sourceFiles(dir: string, own: string): string[] {
  return readdirSync(dir).flatMap((name) => {
    const full = path.join(dir, name);
    if (statSync(full).isDirectory()) {
      // a nested workspace folder is scanned as its own workspace
      if (SKIP_DIRS.has(name) || workspaces.some((w) => w.dir === full && w.dir !== own)) return [];
      return sourceFiles(full, own);
    }
    return SOURCE.test(name) ? [full] : [];
  });
}

interface Import {
  specifier: string;
  typeOnly: boolean;
}

/** The script blocks of a .svelte file (with blank lines elsewhere, so positions stay meaningful). */
function scriptOf(file: string, text: string): string {
  if (!file.endsWith('.svelte')) return text;
  return [...text.matchAll(/<script\b[^>]*>([\s\S]*?)<\/script>/g)].map((m) => m[1]).join('\n');
}

/** Every module specifier a file imports or re-exports, static or dynamic, and whether only types. */
function importsOf(file: string): Import[] {
  const source = ts.createSourceFile(file, scriptOf(file, readFileSync(file, 'utf8')), ts.ScriptTarget.Latest, false, ts.ScriptKind.TS);
  const found: Import[] = [];
  const visit = (node: ts.Node) => {
    if (ts.isImportDeclaration(node) && ts.isStringLiteral(node.moduleSpecifier)) {
      const clause = node.importClause;
      const named = clause?.namedBindings && ts.isNamedImports(clause.namedBindings) ? clause.namedBindings.elements : undefined;
      const typeOnly = !!clause && (clause.isTypeOnly || (!clause.name && !!named && named.length > 0 && named.every((e) => e.isTypeOnly)));
      found.push({ specifier: node.moduleSpecifier.text, typeOnly });
    } else if (ts.isExportDeclaration(node) && node.moduleSpecifier && ts.isStringLiteral(node.moduleSpecifier)) {
      const named = node.exportClause && ts.isNamedExports(node.exportClause) ? node.exportClause.elements : undefined;
      found.push({ specifier: node.moduleSpecifier.text, typeOnly: node.isTypeOnly || (!!named && named.length > 0 && named.every((e) => e.isTypeOnly)) });
    } else if (
      ts.isCallExpression(node) &&
      node.expression.kind === ts.SyntaxKind.ImportKeyword &&
      node.arguments[0] &&
      ts.isStringLiteral(node.arguments[0])
    ) {
      found.push({ specifier: node.arguments[0].text, typeOnly: false });
    } else if (ts.isImportTypeNode(node) && ts.isLiteralTypeNode(node.argument) && ts.isStringLiteral(node.argument.literal)) {
      found.push({ specifier: node.argument.literal.text, typeOnly: true });
    }
    ts.forEachChild(node, visit);
  };
  visit(source);
  return found;
}

interface Edge {
  from: string;
  to: string;
  file: string;
  typeOnly: boolean;
}

/** The workspace a specifier of `file` (in workspace `own`) reaches, or null if it stays inside. */
function targetOf(own: Workspace, file: string, specifier: string): string | null | { outside: string } {
  if (specifier.startsWith('@rs/')) return specifier.split('/').slice(0, 2).join('/');
  if (!specifier.startsWith('.')) return null; // a registry package or an alias inside the workspace ($lib)
  const resolved = path.resolve(path.dirname(file), specifier);
  if (resolved === own.dir || resolved.startsWith(own.dir + path.sep)) return null;
  const home = workspaces.filter((w) => resolved === w.dir || resolved.startsWith(w.dir + path.sep)).sort((a, b) => b.dir.length - a.dir.length)[0];
  return home ? home.name : { outside: path.relative(repoRoot, resolved) };
}

const edges: Edge[] = [];
const outside: string[] = [];
const unknown: string[] = [];
for (const w of workspaces) {
  for (const file of sourceFiles(w.dir, w.dir)) {
    for (const { specifier, typeOnly } of importsOf(file)) {
      const target = targetOf(w, file, specifier);
      const where = `${path.relative(repoRoot, file)}: ${specifier}`;
      if (target === null) continue;
      if (typeof target === 'object') outside.push(where);
      else if (!isWorkspaceName(target)) unknown.push(where);
      else if (target !== w.name) edges.push({ from: w.name, to: target, file: path.relative(repoRoot, file), typeOnly });
    }
  }
}

/** Cycles in a graph given as adjacency sets (each reported once, as the path that closes it). */
function cycles(graph: Map<string, Set<string>>): string[] {
  const found: string[] = [];
  const state = new Map<string, 'open' | 'done'>();
  const walk = (node: string, trail: string[]) => {
    state.set(node, 'open');
    for (const next of graph.get(node) ?? []) {
      if (state.get(next) === 'open') found.push([...trail.slice(trail.indexOf(next)), node, next].join(' → '));
      else if (!state.has(next)) walk(next, [...trail, node]);
    }
    state.set(node, 'done');
  };
  for (const node of graph.keys()) if (!state.has(node)) walk(node, []);
  return found;
}

describe('workspace dependencies', () => {
  it('the scan sees the imports (api and web use the survey definition)', () => {
    expect(edges.some((e) => e.from === '@rs/api' && e.to === '@rs/survey-definition')).toBe(true);
    expect(edges.some((e) => e.from === '@rs/web' && e.to === '@rs/survey-definition' && !e.typeOnly)).toBe(true);
    expect(edges.some((e) => e.from === '@rs/survey-templates' && e.to === '@rs/survey-definition')).toBe(true);
  });

  it('every import reaches a workspace, by name or by a path into one', () => {
    expect({ unknown, outside }).toEqual({ unknown: [], outside: [] });
  });

  it('every imported workspace is declared in the importing package.json', () => {
    const undeclared = edges.filter((e) => !byName.get(e.from)!.declared.has(e.to)).map((e) => `${e.file} → ${e.to} (not in ${e.from}'s package.json)`);
    expect(undeclared).toEqual([]);
  });

  it('imports that must be types only are', () => {
    const values = edges.filter((e) => TYPE_ONLY[e.from]?.includes(e.to) && !e.typeOnly).map((e) => `${e.file} → ${e.to}`);
    expect(values).toEqual([]);
  });

  it('the survey definition is a leaf: it imports and declares no other workspace', () => {
    for (const leaf of LEAVES) {
      expect(edges.filter((e) => e.from === leaf).map((e) => `${e.file} → ${e.to}`)).toEqual([]);
      expect([...byName.get(leaf)!.declared].filter(isWorkspaceName)).toEqual([]);
    }
  });

  it('declared and imported dependencies form no cycle', () => {
    const graph = new Map<string, Set<string>>(workspaces.map((w) => [w.name, new Set([...w.declared].filter(isWorkspaceName))]));
    for (const e of edges) graph.get(e.from)!.add(e.to);
    expect(cycles(graph)).toEqual([]);
  });

  it('the cycle check finds a cycle when there is one', () => {
    const graph = new Map([
      ['a', new Set(['b'])],
      ['b', new Set(['c'])],
      ['c', new Set(['a'])],
      ['d', new Set(['a'])],
    ]);
    expect(cycles(graph)).toEqual(['a → b → c → a']);
  });
});

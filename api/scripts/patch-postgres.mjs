// Repairs a defect of the postgres.js driver (3.4.x, unfixed upstream: porsager/postgres#1154, #1208) that
// takes the whole process down when PostgreSQL restarts. Small writes are sent on a setImmediate; when the
// connection closes before it runs, `socket` is null and `socket.write` throws outside any promise
// (`TypeError: Cannot read properties of null (reading 'write')`), an uncaught exception. The teardown also
// cancels that immediate without forgetting it, so a reconnected connection never sends again and its
// queries wait forever. The repair: a write without a socket fails its queries with CONNECTION_CLOSED,
// and teardown forgets the pending write. Run by `npm install` (postinstall); idempotent.
import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import path from 'node:path';
import { pathToFileURL } from 'node:url';

const MARK = '/* rental-satisfaction: nextWrite guard */';
const replacements = [
  [
    'function nextWrite(fn) {\n    const x = socket.write(chunk, fn)',
    `function nextWrite(fn) {\n    ${MARK}\n    if (!socket) {\n      chunk = nextWriteTimer = null\n      error(Errors.connection('CONNECTION_CLOSED', options))\n      return false\n    }\n    const x = socket.write(chunk, fn)`,
  ],
  // terminate() and closed(): forget the cancelled write, or write() never schedules one again.
  ['    clearImmediate(nextWriteTimer)\n', '    clearImmediate(nextWriteTimer)\n    chunk = nextWriteTimer = null\n'],
];

export function patchPostgresDriver(pkgDir) {
  const patched = [];
  for (const sub of ['src', 'cjs/src', 'cf/src']) {
    const file = path.join(pkgDir, sub, 'connection.js');
    if (!existsSync(file)) continue;
    let text = readFileSync(file, 'utf8');
    if (text.includes(MARK)) continue;
    for (const [from, to] of replacements) {
      if (!text.includes(from)) throw new Error(`postgres driver changed: cannot patch ${file}; check whether the nextWrite defect is fixed`);
      text = text.split(from).join(to);
    }
    writeFileSync(file, text);
    patched.push(file);
  }
  return patched;
}

/** True when the driver this process loads carries the repair. */
export function postgresDriverPatched(pkgDir) {
  return readFileSync(path.join(pkgDir, 'src', 'connection.js'), 'utf8').includes(MARK);
}

if (process.argv[1] && import.meta.url === pathToFileURL(path.resolve(process.argv[1])).href) {
  const require = createRequire(new URL('../package.json', import.meta.url));
  let pkgDir;
  try {
    // The package's exports hide package.json: from its CommonJS entry (cjs/src/index.js) up to its folder.
    pkgDir = path.resolve(path.dirname(require.resolve('postgres')), '..', '..');
  } catch {
    process.exit(0); // not installed (yet)
  }
  for (const file of patchPostgresDriver(pkgDir)) console.log(`patched ${path.relative(process.cwd(), file)}`);
}

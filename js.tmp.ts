import { csvRecords } from './api/src/distribution/import.runner.ts';
import { recordToRental, suggestMapping } from './api/src/distribution/import.mapping.ts';
const t0 = performance.now();
let n = 0; let header: string[] | null = null; let mapping: any;
for await (const rec of csvRecords('/tmp/rs-dist-demo/upload.csv', 'utf-8')) {
  if (!header) { header = rec; mapping = suggestMapping(rec); continue; }
  n++;
}
const t1 = performance.now();
console.log(n, 'rows', Math.round(n / ((t1 - t0) / 1000)), 'rows/s parse only');

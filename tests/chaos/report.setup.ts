import { existsSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import type { TestProject } from 'vitest/node';
import type { ScenarioCounts } from './report.ts';

export default function setup(project: TestProject) {
  const file = path.join(tmpdir(), `chaos-report-${process.pid}.jsonl`);
  rmSync(file, { force: true });
  project.provide('chaosReport', file);
  return () => {
    const rows: ScenarioCounts[] = existsSync(file)
      ? readFileSync(file, 'utf8')
          .trim()
          .split('\n')
          .filter(Boolean)
          .map((l) => JSON.parse(l))
      : [];
    rmSync(file, { force: true });
    const header = ['scenario', 'acknowledged', 'stored', 'lost', 'doubled', 'notes'];
    const cells = rows.map((r) => [r.scenario, String(r.acknowledged), String(r.stored), String(r.lost), String(r.doubled), r.notes ?? '']);
    const widths = header.map((h, i) => Math.max(h.length, ...cells.map((c) => c[i].length)));
    const line = (c: string[]) => c.map((v, i) => v.padEnd(widths[i])).join(' | ');
    console.log(`\nReliability scenarios\n${line(header)}\n${widths.map((w) => '-'.repeat(w)).join('-|-')}\n${cells.map(line).join('\n')}\n`);
  };
}

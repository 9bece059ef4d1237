// Rows of the suite's summary table: each scenario appends one, the global teardown prints them all.
import { appendFileSync } from 'node:fs';
import { inject } from 'vitest';

declare module 'vitest' {
  export interface ProvidedContext {
    chaosReport: string;
  }
}

export interface ScenarioCounts {
  scenario: string;
  /** What the system said it took: submits answered 200, invitations queued, rows the import reported. */
  acknowledged: number;
  /** What is in the database / arrived at the provider afterwards. */
  stored: number;
  lost: number;
  doubled: number;
  notes?: string;
}

export function recordScenario(row: ScenarioCounts) {
  appendFileSync(inject('chaosReport'), `${JSON.stringify(row)}\n`);
}

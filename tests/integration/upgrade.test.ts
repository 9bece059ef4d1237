// Upgrade from the first release: a database made with its migrations (a frozen copy in
// tests/fixtures/migrations-v0.1, so a shallow clone can run this too) and filled with survey data, upgraded
// with the current migrations, must give every figure of /api/analytics/summary exactly as a database made
// with the current schema and filled with the same data.
import { randomUUID } from 'node:crypto';
import path from 'node:path';
import postgres from 'postgres';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { createUserWithPassword } from '../../api/src/access/auth.queries.ts';
import { createSession } from '../../api/src/access/auth.queries.ts';
import { SESSION_COOKIE } from '../../api/src/access/authenticate.ts';
import { buildApp } from '../../api/src/app.ts';
import { createDatabase } from '../../api/src/db/client.ts';
import { applyMigrations, readMigrations } from '../../api/src/db/migrate.ts';
import { parseEnv } from '../../api/src/env.ts';
import { validateSurveyDefinition } from '@rs/survey-definition';
import { analyticsDefinition, generateAnalyticsData, insertAnalyticsData } from '../support/analytics-data.ts';
import { nps } from '../support/analytics-expect.ts';
import { createDatabaseNamed, databaseUrl, dropDatabases, testsRoot } from '../support/postgres.ts';

const { adminUrl } = inject('pg');
const firstRelease = path.join(testsRoot, 'fixtures', 'migrations-v0.1');
const created: string[] = [];
const pools: postgres.Sql[] = [];

afterAll(async () => {
  for (const pool of pools) await pool.end({ timeout: 5 });
  await dropDatabases(adminUrl, created);
});

async function newDatabase() {
  const name = await createDatabaseNamed(adminUrl, 'rs_upgrade');
  created.push(name);
  return databaseUrl(adminUrl, name);
}

const surveyId = randomUUID();
const versionId = randomUUID();
const data = generateAnalyticsData(11, 160);
const checked = validateSurveyDefinition(analyticsDefinition);
if (!checked.ok) throw new Error('test definition invalid');
const storedDefinition = checked.definition;

/** The data set, written with the columns the first release's schema has (all still there today). */
async function fill(url: string) {
  const sql = postgres(url, { max: 1, onnotice: () => {} });
  try {
    const definition = sql.json(storedDefinition as postgres.JSONValue);
    await sql`insert into surveys (id, name, kind, status, draft_definition) values (${surveyId}, 'Post-rental', 'post_rental', 'active', ${definition})`;
    await sql`insert into survey_versions (id, survey_id, version, definition, published_at) values (${versionId}, ${surveyId}, 1, ${definition}, '2026-03-01T00:00:00Z')`;
    await insertAnalyticsData(sql, { surveyId, versionId }, data);
  } finally {
    await sql.end();
  }
}

/** GET /api/analytics/summary on that database as an administrator; any branch id replaced by its code. */
async function summaries(url: string) {
  const { db, sql } = createDatabase(url, { max: 3 });
  pools.push(sql);
  const env = parseEnv({ NODE_ENV: 'test', LOG_LEVEL: 'warn', DEMO_DATA: 'false' });
  const now = new Date('2026-07-01T00:00:00Z');
  const app = buildApp({ db, sql, env, publicUrl: 'http://survey.test', now: () => now });
  const userId = await createUserWithPassword(
    db,
    { email: 'admin@upgrade.test', name: 'Admin', role: 'admin', password: 'correct horse battery', branchIds: [] },
    now,
  );
  const session = await createSession(db, userId, now, env.SESSION_IDLE_HOURS);
  const branchCodes = new Map((await sql<{ id: string; code: string }[]>`select id, code from branches`).map((b) => [b.id, b.code]));
  const figures: Record<string, unknown> = {};
  for (const groupBy of ['none', 'branch', 'region', 'month']) {
    const res = await app.request(`/api/analytics/summary?survey=${surveyId}&groupBy=${groupBy}&from=2026-01-01&to=2026-07-01`, {
      headers: { cookie: `${SESSION_COOKIE}=${session.token}` },
    });
    expect(res.status, `summary by ${groupBy}`).toBe(200);
    let text = await res.text();
    for (const [id, code] of branchCodes) text = text.replaceAll(id, `branch:${code}`);
    figures[groupBy] = JSON.parse(text);
  }
  return figures;
}

describe('upgrade from the first release', () => {
  let upgraded: Record<string, any>;
  let current: Record<string, any>;
  let upgradedWith: string[];

  beforeAll(async () => {
    const oldUrl = await newDatabase();
    const oldRelease = await applyMigrations(oldUrl, { folder: firstRelease });
    expect(oldRelease.applied).toEqual(['0000_foundation.sql']);
    await fill(oldUrl);
    upgradedWith = (await applyMigrations(oldUrl)).applied;
    upgraded = await summaries(oldUrl);

    const freshUrl = await newDatabase();
    await applyMigrations(freshUrl);
    await fill(freshUrl);
    current = await summaries(freshUrl);
  });

  it('applies every later migration to the old database', () => {
    expect(upgradedWith).toEqual(
      readMigrations()
        .slice(1)
        .map((m) => m.file),
    );
    expect(upgradedWith.length).toBeGreaterThan(0);
  });

  it('gives every summary figure (NPS, CSAT, CSI, PP100; overall, per branch, region and month) as a database made with the current schema', () => {
    expect(upgraded).toEqual(current);
  });

  it('those figures are the data set’s own (not two equally empty answers)', () => {
    const finished = data.responses.filter((r) => r.status === 'finished');
    const overall = upgraded.none.total;
    const block = overall.nps;
    const expected = nps(finished.map((r) => r.answers.nps).filter((v): v is number => v !== null));
    expect(block.n).toBe(finished.filter((r) => r.answers.nps !== null).length);
    expect(block.score).toBeCloseTo(expected.score, 9);
    expect(overall.csat.n).toBeGreaterThan(0);
    expect(overall.csi.score).not.toBeNull();
    expect(overall.pp100.value).not.toBeNull();
    const branches = upgraded.branch.groups as { key: string; responses: number }[];
    expect(branches.length).toBeGreaterThan(1);
    for (const group of branches) {
      expect(group.responses).toBe(finished.filter((r) => r.branch === group.key).length);
    }
  });
});

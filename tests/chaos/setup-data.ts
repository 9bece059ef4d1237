// A migrated database on a test's own cluster, with a published post-rental survey and an API key for
// reporting rentals, as a rental system would use it.
import postgres from 'postgres';
import { createUserWithPassword } from '../../api/src/access/auth.queries.ts';
import { createSession } from '../../api/src/access/auth.queries.ts';
import { SESSION_COOKIE } from '../../api/src/access/authenticate.ts';
import { createApiKey } from '../../api/src/access/users.queries.ts';
import { createDatabase } from '../../api/src/db/client.ts';
import { applyMigrations } from '../../api/src/db/migrate.ts';
import { createSurvey, publishSurvey } from '../../api/src/surveys/versions.queries.ts';
import { miniPostRental } from '../support/fixtures/definitions.ts';
import type { PgCluster } from '../support/pg-cluster.ts';
import { rentalPayload, tokenFromLink } from '../support/rentals.ts';

export const TOKEN_SECRET = 'chaos-suite-secret-0123456789abcdef0123';

export async function prepareDatabase(cluster: PgCluster, name = 'chaos') {
  const server = postgres(cluster.url('postgres'), { max: 1, onnotice: () => {} });
  await server.unsafe(`create database "${name}"`);
  await server.end();
  const url = cluster.url(name);
  await applyMigrations(url);
  const { db, sql } = createDatabase(url, { max: 2 });
  const survey = await createSurvey(db, { name: 'Post-rental', kind: 'post_rental', definition: miniPostRental });
  await publishSurvey(db, survey.id);
  const { key } = await createApiKey(db, { name: 'rental system', scopes: ['rentals:write'] }, null, new Date());
  const userId = await createUserWithPassword(db, { email: 'admin@chaos.test', name: 'Admin', role: 'admin', password: 'correct horse battery' }, new Date());
  const session = await createSession(db, userId, new Date(), 12);
  // Staff requests: a session cookie and the CSRF header.
  const admin = { cookie: `${SESSION_COOKIE}=${session.token}`, 'x-requested-with': 'chaos' };
  return { url, db, sql, surveyId: survey.id, apiKey: key, admin };
}

/** Reports n finished rentals (yesterday) through the API; returns the survey-link token of each. */
export async function reportRentals(baseUrl: string, apiKey: string, n: number, offset = 0): Promise<string[]> {
  const returnedAt = new Date(Date.now() - 86_400_000).toISOString();
  const pickedUpAt = new Date(Date.now() - 3 * 86_400_000).toISOString();
  const tokens: string[] = [];
  for (let start = 0; start < n; start += 100) {
    const rentals = Array.from({ length: Math.min(100, n - start) }, (_, i) => rentalPayload(offset + start + i + 1, { pickedUpAt, returnedAt }));
    const res = await fetch(`${baseUrl}/api/rentals/batch`, {
      method: 'POST',
      headers: { authorization: `Bearer ${apiKey}`, 'content-type': 'application/json' },
      body: JSON.stringify({ rentals }),
    });
    if (res.status !== 200) throw new Error(`rentals/batch: ${res.status} ${await res.text()}`);
    const body = (await res.json()) as { results: { invitation?: { link: string } }[] };
    for (const r of body.results) if (r.invitation) tokens.push(tokenFromLink(r.invitation.link));
  }
  return tokens;
}

// COMPANY_TIME_ZONE reaches the pages: a server started with Europe/Berlin shows a survey version's
// publication time in Berlin time, not in the default Asia/Shanghai, on the server-made page and after
// the browser has taken over.
import { expect, test } from '@playwright/test';
import { createUserWithPassword } from '../../api/src/access/auth.queries.ts';
import { createDatabase } from '../../api/src/db/client.ts';
import { createSurvey, publishSurvey } from '../../api/src/surveys/versions.queries.ts';
import { miniPostRental } from '../support/fixtures/definitions.ts';
import { createTemplateDatabase, databaseUrl, dropDatabases } from '../support/postgres.ts';
import { startServerProcess, type ServerProcess } from '../support/server-process.ts';

const adminUrl = process.env.E2E_DATABASE_URL!;
const PUBLISHED_AT = new Date('2026-01-15T20:00:00Z'); // 21:00 on the 15th in Berlin, 04:00 on the 16th in Shanghai
const email = 'tz.quality@staff.test';
const password = 'a long enough test password 1';

let server: ServerProcess;
let dbName: string;
let surveyId: string;

test.beforeAll(async () => {
  test.setTimeout(240_000);
  dbName = await createTemplateDatabase(adminUrl);
  const url = databaseUrl(adminUrl, dbName);
  const { db, sql } = createDatabase(url, { max: 2 });
  try {
    await createUserWithPassword(db, { email, name: 'Time zone check', role: 'quality_manager', password }, new Date());
    const survey = await createSurvey(db, { name: 'Time zone check', kind: 'post_rental', definition: miniPostRental });
    await publishSurvey(db, survey.id, PUBLISHED_AT);
    surveyId = survey.id;
  } finally {
    await sql.end();
  }
  server = await startServerProcess({ DATABASE_URL: url, COMPANY_TIME_ZONE: 'Europe/Berlin' });
});

test.afterAll(async () => {
  await server?.stop();
  if (dbName) await dropDatabases(adminUrl, [dbName]);
});

const shown = (timeZone: string) =>
  new Intl.DateTimeFormat('en', { dateStyle: 'medium', timeStyle: 'short', timeZone }).format(PUBLISHED_AT).replace(/\s+/g, ' ');

test('a version page shows its publication time in the company time zone the server was started with', async ({ page }) => {
  await page.context().addCookies([{ name: 'lang', value: 'en', url: server.baseUrl }]);
  const login = await page.context().request.post(`${server.baseUrl}/api/auth/login`, { data: { email, password } });
  expect(login.status()).toBe(200);
  expect((await login.json()).timeZone).toBe('Europe/Berlin');

  // The page as the server made it (before any script ran)…
  const html = (await (await page.context().request.get(`${server.baseUrl}/surveys/${surveyId}/versions/1`)).text()).replace(/\s+/g, ' ');
  expect(html).toContain(shown('Europe/Berlin'));
  expect(html).not.toContain(shown('Asia/Shanghai'));

  // …and once the browser has hydrated it.
  await page.goto(`${server.baseUrl}/surveys/${surveyId}/versions/1`);
  const text = (await page.locator('main').innerText()).replace(/\s+/g, ' ');
  expect(text).toContain(shown('Europe/Berlin'));
  expect(text).not.toContain(shown('Asia/Shanghai'));
});

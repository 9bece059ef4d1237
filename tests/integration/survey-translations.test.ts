// Publishing names the texts a language still misses: the publish preview and the publish answer list
// them per language, with the default-language text, so that nobody publishes a half-translated survey
// without being told.
import { beforeAll, describe, expect, it } from 'vitest';
import { createSession } from '../../api/src/access/auth.queries.ts';
import { users } from '../../api/src/db/schema.ts';
import type { SurveyDefinition } from '@rs/survey-definition';
import { miniPostRental } from '../support/fixtures/definitions.ts';
import { createTestApp } from '../support/test-db.ts';

let t: Awaited<ReturnType<typeof createTestApp>>;
let staff: Record<string, string>;

beforeAll(async () => {
  t = await createTestApp();
  const [user] = await t.db.insert(users).values({ email: 'qm-translations@example.com', name: 'qm', role: 'quality_manager' }).returning({ id: users.id });
  const session = await createSession(t.db, user.id, t.clock.now(), 24 * 365);
  staff = { cookie: `rs_session=${session.token}`, 'x-requested-with': 'test' };
});

async function call(path: string, init: RequestInit & { json?: unknown } = {}, expected: number) {
  const res = await t.request(path, { ...init, headers: { ...staff } });
  const text = await res.text();
  expect(res.status, `${init.method ?? 'GET'} ${path}: ${text}`).toBe(expected);
  return text ? JSON.parse(text) : null;
}

/** The mini survey in zh-CN, en and zh-TW, with three texts left untranslated in zh-TW and one in en (a matrix's items). */
function halfTranslated(): SurveyDefinition {
  const def = JSON.parse(JSON.stringify(miniPostRental));
  def.locales = ['zh-CN', 'en', 'zh-TW'];
  const fill = (text: Record<string, string> | undefined) => {
    if (text?.['zh-CN']) text['zh-TW'] = `${text['zh-CN']}（繁）`;
  };
  fill(def.title);
  fill(def.description);
  fill(def.intro);
  fill(def.thankYou);
  for (const page of def.pages) {
    fill(page.title);
    fill(page.description);
    for (const q of page.questions) {
      fill(q.text);
      fill(q.help);
      if (q.labels) fill(q.labels.min), fill(q.labels.max);
      for (const c of q.choices ?? []) fill(c.text);
      if (q.other) fill(q.other.text);
      if (q.noProblem) fill(q.noProblem.text);
      for (const item of q.items ?? []) fill(item.text);
      fill(q.placeholder);
    }
  }
  for (const d of def.dimensions ?? []) fill(d.name);
  // Three zh-TW strings missing (the case that went out unnoticed), one en string.
  const q0 = def.pages[0].questions[0];
  delete q0.text['zh-TW'];
  const matrix = def.pages[0].questions.find((q: { type: string }) => q.type === 'matrix');
  delete matrix.items[0].text['zh-TW'];
  delete matrix.items[1].text['zh-TW'];
  delete matrix.items[1].text.en;
  return def;
}

describe('missing translations at publish', () => {
  it("the publish preview and the publish answer list each language's missing texts with the default text", async () => {
    const def = halfTranslated();
    const survey = await call('/api/surveys', { method: 'POST', json: { name: 'Half translated', kind: 'custom', definition: def } }, 201);

    const preview = await call(`/api/surveys/${survey.id}/draft/changes`, {}, 200);
    const byLocale = Object.fromEntries(preview.missingTranslations.map((m: { locale: string; missing: unknown[] }) => [m.locale, m.missing]));
    expect(Object.keys(byLocale).sort()).toEqual(['en', 'zh-TW']);
    const q0 = def.pages[0].questions[0];
    const matrix = def.pages[0].questions.find((q) => q.type === 'matrix') as { id: string; items: { text: Record<string, string> }[] };
    expect(byLocale['zh-TW']).toHaveLength(3);
    expect(byLocale['zh-TW'][0]).toEqual({ path: 'pages.0.questions.0.text', source: q0.text['zh-CN'], questionId: q0.id });
    expect(byLocale['zh-TW'].map((m: { source: string }) => m.source)).toEqual([
      q0.text['zh-CN'],
      matrix.items[0].text['zh-CN'],
      matrix.items[1].text['zh-CN'],
    ]);
    expect(byLocale['zh-TW'].slice(1).every((m: { questionId: string }) => m.questionId === matrix.id)).toBe(true);
    expect(byLocale.en).toEqual([expect.objectContaining({ source: matrix.items[1].text['zh-CN'], questionId: matrix.id })]);

    const published = await call(`/api/surveys/${survey.id}/publish`, { method: 'POST' }, 201);
    expect(published.version).toBe(1);
    expect(published.missingTranslations).toEqual(preview.missingTranslations);
  });

  it('a fully translated survey has nothing missing; a single-language survey has no other language', async () => {
    const full = JSON.parse(JSON.stringify(miniPostRental));
    const survey = await call('/api/surveys', { method: 'POST', json: { name: 'Full', kind: 'custom', definition: full } }, 201);
    const preview = await call(`/api/surveys/${survey.id}/draft/changes`, {}, 200);
    expect(preview.missingTranslations).toEqual([{ locale: 'en', missing: [] }]);
    const single = { ...full, locales: ['zh-CN'] };
    const one = await call('/api/surveys', { method: 'POST', json: { name: 'One language', kind: 'custom', definition: single } }, 201);
    expect((await call(`/api/surveys/${one.id}/draft/changes`, {}, 200)).missingTranslations).toEqual([]);
  });
});

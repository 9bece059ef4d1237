// Survey design API: templates, drafts, validation, versions, publish preview, archive, duplicate.
import { beforeAll, describe, expect, it } from 'vitest';
import { createSession } from '../../api/src/access/auth.queries.ts';
import { users } from '../../api/src/db/schema.ts';
import { templates } from '../../survey-templates/index.ts';
import type { SurveyDefinition } from '@rs/survey-definition';
import { miniPostRental } from '../support/fixtures/definitions.ts';
import { rentalPayload, tokenFromLink } from '../support/rentals.ts';
import { createTestApp } from '../support/test-db.ts';

let t: Awaited<ReturnType<typeof createTestApp>>;
let staff: Record<string, string>;

/** A signed-in staff member's headers (session cookie; X-Requested-With marks the writes as same-site). */
async function signedIn(role: 'quality_manager' | 'branch_manager') {
  const [user] = await t.db
    .insert(users)
    .values({ email: `${role}@example.com`, name: role, role })
    .returning({ id: users.id });
  const session = await createSession(t.db, user.id, t.clock.now(), 24 * 365);
  return { cookie: `rs_session=${session.token}`, 'x-requested-with': 'test' };
}

beforeAll(async () => {
  t = await createTestApp();
  staff = await signedIn('quality_manager');
});

const clone = <T>(v: T): T => JSON.parse(JSON.stringify(v));

async function call(path: string, init: RequestInit & { json?: unknown } = {}, expected?: number) {
  const res = await t.request(path, { ...init, headers: { ...staff, ...(init.headers as Record<string, string>) } });
  const text = await res.text();
  const body = text ? JSON.parse(text) : null;
  if (expected !== undefined && res.status !== expected) {
    throw new Error(`${init.method ?? 'GET'} ${path}: expected ${expected}, got ${res.status}: ${text}`);
  }
  return { status: res.status, body, contentType: res.headers.get('content-type') ?? '' };
}

async function createMini(name: string, kind = 'custom') {
  const { body } = await call('/api/surveys', { method: 'POST', json: { name, kind, definition: miniPostRental } }, 201);
  return body as { id: string; draft: { definition: SurveyDefinition; updatedAt: string } };
}

async function putDraft(id: string, definition: unknown, extra: Record<string, unknown> = {}) {
  return call(`/api/surveys/${id}/draft`, { method: 'PUT', json: { definition, ...extra } });
}

async function draftOf(id: string): Promise<SurveyDefinition> {
  return (await call(`/api/surveys/${id}/draft`, {}, 200)).body.definition;
}

async function surveyCount() {
  const [{ count }] = await t.sql`select count(*)::int as count from surveys`;
  return count as number;
}

describe('templates', () => {
  it('lists the four templates with their kind and counts', async () => {
    const { body } = await call('/api/survey-templates', {}, 200);
    expect(body.map((x: { id: string }) => x.id)).toEqual(['post-rental', 'ride-hailing', 'dealer-service', 'complaint-follow-up']);
    const post = body[0];
    expect(post.kind).toBe('post_rental');
    expect(post.locales).toEqual(expect.arrayContaining(['zh-CN', 'en']));
    const template = templates.find((x) => x.id === 'post-rental')!;
    expect(post.questions).toBe(template.definition.pages.reduce((n, p) => n + p.questions.length, 0));
    expect(post.pages).toBe(template.definition.pages.length);
  });

  it('returns one template with its definition; unknown ids are 404', async () => {
    const { body } = await call('/api/survey-templates/complaint-follow-up', {}, 200);
    expect(body.definition.pages[0].questions[0].id).toBe('q_resolved');
    const missing = await call('/api/survey-templates/nope');
    expect(missing.status).toBe(404);
    expect(missing.contentType).toContain('application/problem+json');
  });

  it.each(templates.map((x) => [x.id]))('creates a draft from the %s template in both ways', async (id) => {
    const template = templates.find((x) => x.id === id)!;
    const viaBody = await call('/api/surveys', { method: 'POST', json: { name: `From ${id}`, fromTemplate: id } }, 201);
    expect(viaBody.body).toMatchObject({ name: `From ${id}`, kind: id.replace(/-/g, '_'), status: 'draft', latestVersion: null, versions: [] });
    expect(viaBody.body.draft.definition).toEqual(template.definition);
    expect(viaBody.body.draft.unpublishedChanges).toBe(true);

    const viaTemplate = await call(`/api/survey-templates/${id}/surveys`, { method: 'POST', json: {} }, 201);
    expect(viaTemplate.body.id).not.toBe(viaBody.body.id);
    expect(viaTemplate.body.name).toBe(template.name[template.definition.defaultLocale]);
    expect(viaTemplate.body.draft.definition).toEqual(template.definition);
    // Both drafts publish as version 1.
    for (const surveyId of [viaBody.body.id, viaTemplate.body.id]) {
      const published = await call(`/api/surveys/${surveyId}/publish`, { method: 'POST' }, 201);
      expect(published.body).toMatchObject({ version: 1, changeSummary: null, breaksComparability: false });
    }
    // Keep the rental invitations out of these surveys for the later tests.
    for (const surveyId of [viaBody.body.id, viaTemplate.body.id]) await call(`/api/surveys/${surveyId}/archive`, { method: 'POST' }, 200);
  });

  it('refuses an unknown template with the failing field, creating nothing', async () => {
    const before = await surveyCount();
    const res = await call('/api/surveys', { method: 'POST', json: { name: 'x', fromTemplate: 'post_rental' } });
    expect(res.status).toBe(400);
    expect(res.body.errors).toEqual([expect.objectContaining({ path: 'fromTemplate' })]);
    expect((await call('/api/survey-templates/nope/surveys', { method: 'POST', json: {} })).status).toBe(404);
    expect(await surveyCount()).toBe(before);
  });
});

describe('create and read', () => {
  it('creates a valid blank survey in the chosen default locale', async () => {
    const { body } = await call('/api/surveys', { method: 'POST', json: { name: 'Blank', defaultLocale: 'en' } }, 201);
    const def = body.draft.definition as SurveyDefinition;
    expect(body.kind).toBe('custom');
    expect(def.defaultLocale).toBe('en');
    expect(def.locales[0]).toBe('en');
    expect(def.title.en).toBe('Blank');
    expect(def.pages).toHaveLength(1);
    expect(def.pages[0].questions.map((q) => q.type)).toEqual(['nps']);
    expect(def.outcomes.recommend).toBe(def.pages[0].questions[0].id);
  });

  it('refuses a definition with faults at creation, storing nothing', async () => {
    const before = await surveyCount();
    const bad = clone(miniPostRental) as Record<string, unknown> & typeof miniPostRental;
    bad.pages[0].questions[2].text = { en: 'only English' };
    const res = await call('/api/surveys', { method: 'POST', json: { name: 'Bad', definition: bad } });
    expect(res.status).toBe(400);
    expect(res.contentType).toContain('application/problem+json');
    expect(res.body.errors.map((e: { path: string }) => e.path)).toEqual(['pages.0.questions.2.text']);
    expect(await surveyCount()).toBe(before);
  });

  it('rejects a missing name, a non-uuid id and an unknown survey as problems', async () => {
    const noName = await call('/api/surveys', { method: 'POST', json: { name: '  ' } });
    expect(noName.status).toBe(400);
    expect(noName.body.errors[0].path).toBe('name');
    expect((await call('/api/surveys/not-a-uuid')).status).toBe(400);
    const unknown = await call('/api/surveys/00000000-0000-4000-8000-000000000000');
    expect(unknown.status).toBe(404);
    expect(unknown.contentType).toContain('application/problem+json');
  });
});

describe('updating the draft', () => {
  it('lists every failing path of an invalid definition and stores nothing', async () => {
    const survey = await createMini('Validation');
    const [before] = await t.sql`select draft_definition, draft_updated_at, name from surveys where id = ${survey.id}`;
    t.clock.advance(60_000);

    const bad = clone(miniPostRental) as any;
    const qs = bad.pages[0].questions;
    qs[2].id = 'q_nps'; // duplicate question id
    qs[1].visibleIf = { question: 'q_pickup', op: 'answered' }; // forward reference
    qs[3].max = 11; // scale too large
    qs[3].items[1].text = { en: 'Staff' }; // default-locale (zh-CN) text missing
    bad.dimensions[0].weight = -1; // negative weight
    bad.dimensions[0].items[1].itemId = 'ghost'; // unknown item in a dimension
    bad.outcomes.overall = 'q_missing'; // unknown question

    const res = await putDraft(survey.id, bad, { name: 'Renamed while invalid' });
    expect(res.status).toBe(400);
    expect(res.contentType).toContain('application/problem+json');
    expect(res.body.errors.map((e: { path: string }) => e.path).sort()).toEqual(
      [
        'pages.0.questions.3.max',
        'pages.0.questions.3.items.1.text',
        'pages.0.questions.2.id',
        'pages.0.questions.1.visibleIf.question',
        'dimensions.0.weight',
        'dimensions.0.items.1.itemId',
        'outcomes.overall',
      ].sort(),
    );
    // each with its code and parameters (the builder translates these) and an English message
    const byPath = Object.fromEntries(res.body.errors.map((e: { path: string; code: string; params: object }) => [e.path, { code: e.code, params: e.params }]));
    expect(byPath).toEqual({
      'pages.0.questions.3.max': { code: 'too_big', params: { maximum: 10 } },
      'pages.0.questions.3.items.1.text': { code: 'missing_default_text', params: { locale: 'zh-CN' } },
      'pages.0.questions.2.id': { code: 'duplicate_question_id', params: { id: 'q_nps', also: 'pages.0.questions.0' } },
      'pages.0.questions.1.visibleIf.question': { code: 'logic_forward_reference', params: { question: 'q_pickup' } },
      'dimensions.0.weight': { code: 'dimension_weight_negative', params: {} },
      'dimensions.0.items.1.itemId': { code: 'dimension_unknown_item', params: { item: 'ghost', question: 'q_pickup', dimension: bad.dimensions[0].id } },
      'outcomes.overall': { code: 'outcome_unknown_question', params: { question: 'q_missing' } },
    });
    for (const e of res.body.errors) expect(e.message).toEqual(expect.any(String));

    const [after] = await t.sql`select draft_definition, draft_updated_at, name from surveys where id = ${survey.id}`;
    expect(after.draft_definition).toEqual(before.draft_definition);
    expect(after.draft_updated_at).toEqual(before.draft_updated_at);
    expect(after.name).toBe('Validation');
  });

  it('reports a logic cycle, an unknown logic id and all-zero weights', async () => {
    const survey = await createMini('Logic faults');
    const bad = clone(miniPostRental) as any;
    bad.pages[0].questions[0].visibleIf = { question: 'q_nps', op: 'answered' };
    bad.pages[0].questions[2].visibleIf = {
      any: [
        { question: 'q_nope', op: 'eq', value: 1 },
        { question: 'q_nps', op: 'gte', value: 9 },
      ],
    };
    bad.dimensions[0].weight = 0;
    const res = await putDraft(survey.id, bad);
    expect(res.status).toBe(400);
    expect(res.body.errors.map((e: { path: string }) => e.path).sort()).toEqual(
      ['dimensions', 'pages.0.questions.0.visibleIf.question', 'pages.0.questions.2.visibleIf.any.0.question'].sort(),
    );
    expect(await draftOf(survey.id)).toEqual((await call(`/api/surveys/${survey.id}`)).body.draft.definition);
    expect((await draftOf(survey.id)).pages[0].questions[0].visibleIf).toBeUndefined();
  });

  it('saves a valid definition with its defaults applied, renames, and refuses stale or archived edits', async () => {
    const survey = await createMini('Editable');
    t.clock.advance(60_000);
    const next = clone(survey.draft.definition) as any;
    next.pages[0].questions[2].text['zh-CN'] = '您对这次租车总体满意吗？';
    next.pages[0].questions.push({ id: 'q_new', type: 'rating', max: 7, text: { 'zh-CN': '新问题' } });
    const res = await putDraft(survey.id, next, { name: 'Edited', expectedUpdatedAt: survey.draft.updatedAt });
    expect(res.status).toBe(200);
    expect(res.body.name).toBe('Edited');
    expect(res.body.draft.updatedAt).toBe(t.clock.now().toISOString());
    const saved = await draftOf(survey.id);
    expect(saved.pages[0].questions[2].text['zh-CN']).toBe('您对这次租车总体满意吗？');
    expect(saved.pages[0].questions[4]).toMatchObject({ id: 'q_new', required: false, display: 'numbers', max: 7 });

    // Someone else's save in between: the old timestamp no longer matches.
    const stale = await putDraft(survey.id, next, { expectedUpdatedAt: survey.draft.updatedAt });
    expect(stale.status).toBe(409);

    await call(`/api/surveys/${survey.id}/archive`, { method: 'POST' }, 200);
    expect((await putDraft(survey.id, next)).status).toBe(409);
    expect((await call(`/api/surveys/${survey.id}/publish`, { method: 'POST' })).status).toBe(409);
  });
});

describe('versions', () => {
  it('publishes twice into versions 1 and 2 with a change summary; versions are immutable', async () => {
    const survey = await createMini('Versioned');
    const first = await call(`/api/surveys/${survey.id}/publish`, { method: 'POST' }, 201);
    expect(first.body).toMatchObject({ version: 1, changeSummary: null, breaksComparability: false, warnings: [] });

    // Nothing changed: nothing to publish.
    const again = await call(`/api/surveys/${survey.id}/publish`, { method: 'POST' });
    expect(again.status).toBe(409);

    const next = clone(await draftOf(survey.id)) as any;
    next.pages[0].questions[0].text['zh-CN'] = '您会向亲友推荐我们吗？';
    next.pages[0].questions[3].items.push({ id: 'clean', text: { 'zh-CN': '清洁', en: 'Cleanliness' } });
    await putDraft(survey.id, next);

    const detail = await call(`/api/surveys/${survey.id}`, {}, 200);
    expect(detail.body).toMatchObject({ status: 'active', latestVersion: 1, draft: { baseVersion: 1, unpublishedChanges: true } });

    t.clock.advance(3_600_000);
    const second = await call(`/api/surveys/${survey.id}/publish`, { method: 'POST' }, 201);
    expect(second.body.version).toBe(2);
    expect(second.body.publishedAt).toBe(t.clock.now().toISOString());
    expect(second.body.breaksComparability).toBe(false);
    expect(second.body.changeSummary.added).toEqual([{ kind: 'item', id: 'clean', questionId: 'q_pickup', path: 'pages.0.questions.3.items.2' }]);
    expect(second.body.changeSummary.removed).toEqual([]);
    expect(second.body.changeSummary.changed).toEqual([
      { kind: 'question', id: 'q_nps', path: 'pages.0.questions.0', fields: ['text'], breaksComparability: false },
    ]);

    const versions = await call(`/api/surveys/${survey.id}/versions`, {}, 200);
    expect(versions.body.map((v: { version: number }) => v.version)).toEqual([1, 2]);
    expect(versions.body[1]).toMatchObject({ breaksComparability: false, changes: { added: 1, removed: 0, changed: 1 }, responses: 0 });
    expect(versions.body[0].changes).toBeNull();

    const v1 = await call(`/api/surveys/${survey.id}/versions/1`, {}, 200);
    expect(v1.body.definition.pages[0].questions[0].text['zh-CN']).toBe(miniPostRental.pages[0].questions[0].text['zh-CN']);
    expect(v1.body.changeSummary).toBeNull();
    const v2 = await call(`/api/surveys/${survey.id}/versions/2`, {}, 200);
    expect(v2.body.definition.pages[0].questions[0].text['zh-CN']).toBe('您会向亲友推荐我们吗？');
    expect(v2.body.changeSummary.added).toHaveLength(1);
    expect((await call(`/api/surveys/${survey.id}/versions/3`)).status).toBe(404);

    // Who published what is in the audit log.
    const audit = await t.sql`select action, actor_label, details from audit_log where target_type = 'survey' and target_id = ${survey.id} order by id`;
    expect(audit.map((a) => a.action)).toEqual(['survey.create', 'survey.publish', 'survey.draft.update', 'survey.publish']);
    expect(audit[3]).toMatchObject({ actor_label: 'quality_manager@example.com', details: { version: 2 } });

    const list = await call('/api/surveys', {}, 200);
    const row = list.body.find((s: { id: string }) => s.id === survey.id);
    expect(row).toMatchObject({ status: 'active', latestVersion: 2, unpublishedChanges: false, publishedAt: t.clock.now().toISOString() });
  });

  it('previews the changes without publishing and flags a changed scale', async () => {
    const survey = await createMini('Scale change');
    const before = await call(`/api/surveys/${survey.id}/draft/changes`, {}, 200);
    expect(before.body).toMatchObject({ baseVersion: null, nextVersion: 1, unpublishedChanges: true, valid: true, changeSummary: null });
    await call(`/api/surveys/${survey.id}/publish`, { method: 'POST' }, 201);

    const unchanged = await call(`/api/surveys/${survey.id}/draft/changes`, {}, 200);
    expect(unchanged.body).toMatchObject({ baseVersion: 1, nextVersion: 2, unpublishedChanges: false, breaksComparability: false });

    const next = clone(await draftOf(survey.id)) as any;
    next.pages[0].questions[3].max = 7;
    await putDraft(survey.id, next);
    const preview = await call(`/api/surveys/${survey.id}/draft/changes`, {}, 200);
    expect(preview.body).toMatchObject({ baseVersion: 1, nextVersion: 2, unpublishedChanges: true, valid: true, breaksComparability: true });
    expect(preview.body.changeSummary.changed).toEqual([
      { kind: 'question', id: 'q_pickup', path: 'pages.0.questions.3', fields: ['scale'], breaksComparability: true },
    ]);
    // Nothing was published by the preview.
    expect((await call(`/api/surveys/${survey.id}/versions`)).body).toHaveLength(1);

    const published = await call(`/api/surveys/${survey.id}/publish`, { method: 'POST' }, 201);
    expect(published.body.breaksComparability).toBe(true);
    expect(published.body.warnings.map((w: { path: string }) => w.path)).toContain('pages.0.questions.3.max');
    const versions = await call(`/api/surveys/${survey.id}/versions`, {}, 200);
    expect(versions.body[1].breaksComparability).toBe(true);
  });

  it('flags a removed question as breaking comparability', async () => {
    const survey = await createMini('Removal');
    await call(`/api/surveys/${survey.id}/publish`, { method: 'POST' }, 201);
    const next = clone(await draftOf(survey.id)) as any;
    next.pages[0].questions.splice(1, 1); // q_why
    await putDraft(survey.id, next);
    const published = await call(`/api/surveys/${survey.id}/publish`, { method: 'POST' }, 201);
    expect(published.body.version).toBe(2);
    expect(published.body.breaksComparability).toBe(true);
    expect(published.body.changeSummary.removed).toEqual([{ kind: 'question', id: 'q_why', path: 'pages.0.questions.1' }]);
    expect(published.body.warnings).toContainEqual(expect.objectContaining({ path: 'pages.0.questions.1' }));
  });

  it('a text-only edit does not break comparability', async () => {
    const survey = await createMini('Text only');
    await call(`/api/surveys/${survey.id}/publish`, { method: 'POST' }, 201);
    const next = clone(await draftOf(survey.id)) as any;
    next.pages[0].questions[3].items[0].text.en = 'Speed of pick-up';
    await putDraft(survey.id, next);
    const preview = await call(`/api/surveys/${survey.id}/draft/changes`, {}, 200);
    expect(preview.body.breaksComparability).toBe(false);
    expect(preview.body.changeSummary.changed).toEqual([
      { kind: 'item', id: 'speed', questionId: 'q_pickup', path: 'pages.0.questions.3.items.0', fields: ['text'], breaksComparability: false },
    ]);
  });
});

describe('post-rental invitations, archive and the version of a response', () => {
  let surveyId: string;

  it('invites rentals to the active post-rental survey; archiving stops it and keeps the data', async () => {
    const survey = await createMini('Post-rental', 'post_rental');
    surveyId = survey.id;
    // A draft is never invited to.
    const none = await call('/api/rentals', { method: 'POST', json: rentalPayload(1) }, 201);
    expect(none.body.invitation).toBeNull();
    expect(none.body.reason).toBe('no_active_post_rental_survey');

    await call(`/api/surveys/${surveyId}/publish`, { method: 'POST' }, 201);
    const invited = await call('/api/rentals', { method: 'POST', json: rentalPayload(2) }, 201);
    expect(invited.body.invitation).not.toBeNull();
    const token = tokenFromLink(invited.body.invitation.link);
    await call(`/api/respond/${token}/submit`, { method: 'POST', json: { answers: { q_nps: 9, q_csat: 4 } } }, 200);

    const row = (await call('/api/surveys', {}, 200)).body.find((s: { id: string }) => s.id === surveyId);
    expect(row).toMatchObject({ receivesRentalInvitations: true, responses: 1 });

    const archived = await call(`/api/surveys/${surveyId}/archive`, { method: 'POST' }, 200);
    expect(archived.body).toMatchObject({ status: 'archived', receivesRentalInvitations: false, responses: 1, latestVersion: 1 });
    const after = await call('/api/rentals', { method: 'POST', json: rentalPayload(3) }, 201);
    expect(after.body.invitation).toBeNull();
    expect(after.body.reason).toBe('no_active_post_rental_survey');
    const [{ count }] = await t.sql`select count(*)::int as count from invitations where survey_id = ${surveyId}`;
    expect(count).toBe(1);
    const archivedList = await call('/api/surveys?status=archived', {}, 200);
    expect(archivedList.body.map((s: { id: string }) => s.id)).toContain(surveyId);
    expect(archivedList.body.every((s: { status: string }) => s.status === 'archived')).toBe(true);

    const back = await call(`/api/surveys/${surveyId}/unarchive`, { method: 'POST' }, 200);
    expect(back.body).toMatchObject({ status: 'active', receivesRentalInvitations: true });
    const invitedAgain = await call('/api/rentals', { method: 'POST', json: rentalPayload(4) }, 201);
    expect(invitedAgain.body.invitation).not.toBeNull();
  });

  it('unarchiving a never-published survey makes it a draft again', async () => {
    const survey = await createMini('Never published');
    await call(`/api/surveys/${survey.id}/archive`, { method: 'POST' }, 200);
    const back = await call(`/api/surveys/${survey.id}/unarchive`, { method: 'POST' }, 200);
    expect(back.body.status).toBe('draft');
  });

  it('a response keeps its version after a new publish', async () => {
    // Invited and answered with version 1; a second invitation is still open when version 2 is published.
    const answered = await call('/api/rentals', { method: 'POST', json: rentalPayload(10) }, 201);
    const answeredToken = tokenFromLink(answered.body.invitation.link);
    const submitted = await call(`/api/respond/${answeredToken}/submit`, { method: 'POST', json: { answers: { q_nps: 3, q_why: '太慢' } } }, 200);
    const open = await call('/api/rentals', { method: 'POST', json: rentalPayload(11) }, 201);
    const openToken = tokenFromLink(open.body.invitation.link);

    const next = clone(await draftOf(surveyId)) as any;
    next.pages[0].questions.splice(1, 1); // q_why removed in version 2
    next.pages[0].questions[0].text['zh-CN'] = '推荐的可能性？';
    await putDraft(surveyId, next);
    const v2 = await call(`/api/surveys/${surveyId}/publish`, { method: 'POST' }, 201);
    expect(v2.body.version).toBe(2);

    const versionOf = async (responseId: string) => {
      const [row] = await t.sql`select v.version from responses r join survey_versions v on v.id = r.survey_version_id where r.id = ${responseId}`;
      return row.version as number;
    };
    expect(await versionOf(submitted.body.responseId)).toBe(1);
    const [{ answer }] = await t.sql`select count(*)::int as answer from answers where response_id = ${submitted.body.responseId} and question_id = 'q_why'`;
    expect(answer).toBe(1);

    // The open invitation is still answered with version 1 (q_why is still there for it).
    const session = await call(`/api/respond/${openToken}`, {}, 200);
    expect(session.body.survey.version).toBe(1);
    const late = await call(`/api/respond/${openToken}/submit`, { method: 'POST', json: { answers: { q_nps: 5, q_why: '还车慢' } } }, 200);
    expect(await versionOf(late.body.responseId)).toBe(1);

    // A rental reported now is invited to version 2.
    const fresh = await call('/api/rentals', { method: 'POST', json: rentalPayload(12) }, 201);
    const freshSession = await call(`/api/respond/${tokenFromLink(fresh.body.invitation.link)}`, {}, 200);
    expect(freshSession.body.survey.version).toBe(2);
    expect(freshSession.body.survey.definition.pages[0].questions.map((q: { id: string }) => q.id)).not.toContain('q_why');

    const versions = await call(`/api/surveys/${surveyId}/versions`, {}, 200);
    // v1: rentals 2, 4, 10, 11 invited; 3 finished responses (rentals 2, 10, 11). v2: rental 12, no response yet.
    expect(versions.body.map((v: { invitations: number; responses: number }) => [v.invitations, v.responses])).toEqual([
      [4, 3],
      [1, 0],
    ]);
  });
});

describe('duplicate and list filters', () => {
  it('duplicates the draft into a new unpublished survey', async () => {
    const source = await createMini('Source');
    await call(`/api/surveys/${source.id}/publish`, { method: 'POST' }, 201);
    const next = clone(await draftOf(source.id)) as any;
    next.title.en = 'Draft title';
    await putDraft(source.id, next);

    const copy = await call(`/api/surveys/${source.id}/duplicate`, { method: 'POST', json: { name: 'Copy of source' } }, 201);
    expect(copy.body).toMatchObject({ name: 'Copy of source', kind: 'custom', status: 'draft', latestVersion: null, versions: [], responses: 0 });
    expect(copy.body.draft.definition.title.en).toBe('Draft title');

    const unnamed = await call(`/api/surveys/${source.id}/duplicate`, { method: 'POST' }, 201);
    expect(unnamed.body.name).toBe('Source (2)');
    expect((await call('/api/surveys/00000000-0000-4000-8000-000000000000/duplicate', { method: 'POST', json: {} })).status).toBe(404);

    const drafts = await call('/api/surveys?status=draft', {}, 200);
    expect(drafts.body.map((s: { id: string }) => s.id)).toEqual(expect.arrayContaining([copy.body.id, unnamed.body.id]));
    expect(drafts.body.map((s: { id: string }) => s.id)).not.toContain(source.id);
    const toPublish = await call('/api/surveys?unpublished=true', {}, 200);
    expect(toPublish.body.map((s: { id: string }) => s.id)).toContain(source.id);
    expect(toPublish.body.every((s: { unpublishedChanges: boolean }) => s.unpublishedChanges)).toBe(true);
    expect((await call('/api/surveys?status=deleted')).status).toBe(400);
  });
});

describe('access', () => {
  it('needs a signed-in user for reads and the surveys:write permission for writes', async () => {
    const anonymous = await t.request('/api/surveys', { as: 'anonymous' });
    expect(anonymous.status).toBe(401);
    const branchManager = await signedIn('branch_manager');
    const read = await t.request('/api/survey-templates', { headers: branchManager });
    expect(read.status).toBe(200);
    const before = await surveyCount();
    const write = await t.request('/api/surveys', { method: 'POST', headers: branchManager, json: { name: 'Not allowed' } });
    expect(write.status).toBe(403);
    expect(await surveyCount()).toBe(before);
  });
});

describe('OpenAPI document', () => {
  it('documents every survey route with its permission and a resolvable SurveyDefinition', async () => {
    const { body: doc } = await call('/api/openapi.json', {}, 200);
    const expected: [string, string, string][] = [
      ['get', '/api/surveys', 'surveys:read'],
      ['post', '/api/surveys', 'surveys:write'],
      ['get', '/api/surveys/{id}', 'surveys:read'],
      ['get', '/api/surveys/{id}/draft', 'surveys:read'],
      ['put', '/api/surveys/{id}/draft', 'surveys:write'],
      ['get', '/api/surveys/{id}/draft/changes', 'surveys:read'],
      ['post', '/api/surveys/{id}/publish', 'surveys:write'],
      ['get', '/api/surveys/{id}/versions', 'surveys:read'],
      ['get', '/api/surveys/{id}/versions/{version}', 'surveys:read'],
      ['post', '/api/surveys/{id}/archive', 'surveys:write'],
      ['post', '/api/surveys/{id}/unarchive', 'surveys:write'],
      ['post', '/api/surveys/{id}/duplicate', 'surveys:write'],
      ['get', '/api/survey-templates', 'surveys:read'],
      ['get', '/api/survey-templates/{id}', 'surveys:read'],
      ['post', '/api/survey-templates/{id}/surveys', 'surveys:write'],
    ];
    for (const [method, path, permission] of expected) {
      expect(doc.paths[path]?.[method], `${method} ${path}`).toBeDefined();
      expect(doc.paths[path][method]['x-permission']).toBe(permission);
    }
    const refs = new Set<string>();
    const walk = (v: unknown) => {
      if (Array.isArray(v)) v.forEach(walk);
      else if (v && typeof v === 'object') {
        for (const [k, x] of Object.entries(v)) {
          if (k === '$ref' && typeof x === 'string') refs.add(x);
          else walk(x);
        }
      }
    };
    walk(doc);
    expect(refs).toContain('#/components/schemas/SurveyDefinition');
    for (const ref of refs) {
      expect(ref.startsWith('#/components/schemas/'), ref).toBe(true);
      expect(doc.components.schemas[ref.slice('#/components/schemas/'.length)], ref).toBeDefined();
    }
    expect(doc.components.schemas.SurveyDefinition.properties.pages).toBeDefined();
  });
});

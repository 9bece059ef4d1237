import { audit } from '../access/audit.ts';
import { branchScopeOf } from '../access/scope.ts';
import { findTemplate, templates, type SurveyTemplate } from '@rs/survey-templates';
import { badRequest, notFound } from '../lib/problem.ts';
import type { AppRouteHandler } from '../lib/types.ts';
import { allQuestions, missingTranslations, type SurveyDefinition } from '@rs/survey-definition';
import { duplicateSurvey, getSurveyDetail, listSurveySummaries, setArchived, updateDraft as saveDraft } from './surveys.queries.ts';
import type * as R from './surveys.routes.ts';
import { blankDefinition, createSurvey as insertSurvey, getVersion as loadVersion, previewPublish as preview, publishSurvey } from './versions.queries.ts';

/** `post-rental` → `post_rental` (a `post_rental` survey receives the rental invitations). */
const templateKind = (template: SurveyTemplate) => template.id.replace(/-/g, '_');

function templateSummary(template: SurveyTemplate) {
  return {
    id: template.id,
    kind: templateKind(template),
    name: template.name as Record<string, string>,
    description: template.description as Record<string, string>,
    defaultLocale: template.definition.defaultLocale,
    locales: [...template.definition.locales],
    pages: template.definition.pages.length,
    questions: allQuestions(template.definition).length,
  };
}

export const listSurveys: AppRouteHandler<R.ListSurveysRoute> = async (c) => {
  const { status, unpublished } = c.req.valid('query');
  const filter = { status, unpublished: unpublished === undefined ? undefined : unpublished === 'true' };
  return c.json(await listSurveySummaries(c.get('deps'), filter, branchScopeOf(c)), 200);
};

export const createSurvey: AppRouteHandler<R.CreateSurveyRoute> = async (c) => {
  const deps = c.get('deps');
  const input = c.req.valid('json');
  if (input.fromTemplate !== undefined && input.definition !== undefined) {
    throw badRequest('Give either fromTemplate or definition, not both', [{ path: 'fromTemplate', message: 'not together with definition' }]);
  }
  let definition: unknown;
  let kind = input.kind;
  if (input.fromTemplate !== undefined) {
    const template = findTemplate(input.fromTemplate);
    if (!template) {
      throw badRequest('Unknown template', [
        { path: 'fromTemplate', message: `No template "${input.fromTemplate}"; one of ${templates.map((t) => t.id).join(', ')}` },
      ]);
    }
    definition = template.definition;
    kind ??= templateKind(template);
  } else {
    definition = input.definition ?? blankDefinition(input.defaultLocale, input.name);
  }
  const row = await insertSurvey(deps.db, { name: input.name, kind, definition }, deps.now());
  await audit(c, 'survey.create', { type: 'survey', id: row.id }, { kind: row.kind, fromTemplate: input.fromTemplate ?? null });
  return c.json(await getSurveyDetail(deps, row.id, branchScopeOf(c)), 201);
};

export const getSurvey: AppRouteHandler<R.GetSurveyRoute> = async (c) => {
  return c.json(await getSurveyDetail(c.get('deps'), c.req.valid('param').id, branchScopeOf(c)), 200);
};

export const getDraft: AppRouteHandler<R.GetDraftRoute> = async (c) => {
  const detail = await getSurveyDetail(c.get('deps'), c.req.valid('param').id, branchScopeOf(c));
  return c.json(detail.draft, 200);
};

export const updateDraft: AppRouteHandler<R.UpdateDraftRoute> = async (c) => {
  const deps = c.get('deps');
  const { id } = c.req.valid('param');
  const input = c.req.valid('json');
  await saveDraft(deps.db, id, input, deps.now());
  await audit(c, 'survey.draft.update', { type: 'survey', id }, { renamed: input.name !== undefined });
  return c.json(await getSurveyDetail(deps, id, branchScopeOf(c)), 200);
};

export const previewPublish: AppRouteHandler<R.PreviewPublishRoute> = async (c) => {
  return c.json(await preview(c.get('deps').db, c.req.valid('param').id), 200);
};

export const publish: AppRouteHandler<R.PublishRoute> = async (c) => {
  const deps = c.get('deps');
  const { id } = c.req.valid('param');
  const version = await publishSurvey(deps.db, id, deps.now());
  await audit(c, 'survey.publish', { type: 'survey', id }, { version: version.version });
  const summary = (version.changeSummary as Awaited<ReturnType<typeof preview>>['changeSummary']) ?? null;
  return c.json(
    {
      surveyId: id,
      version: version.version,
      publishedAt: version.publishedAt.toISOString(),
      changeSummary: summary,
      breaksComparability: summary?.breaksComparability ?? false,
      warnings: summary?.warnings ?? [],
      missingTranslations: missingTranslations(version.definition as SurveyDefinition),
    },
    201,
  );
};

export const listVersions: AppRouteHandler<R.ListVersionsRoute> = async (c) => {
  const detail = await getSurveyDetail(c.get('deps'), c.req.valid('param').id, branchScopeOf(c));
  return c.json(detail.versions, 200);
};

export const getVersion: AppRouteHandler<R.GetVersionRoute> = async (c) => {
  const { id, version } = c.req.valid('param');
  return c.json(await loadVersion(c.get('deps').sql, id, version, branchScopeOf(c)), 200);
};

export const archive: AppRouteHandler<R.ArchiveRoute> = async (c) => {
  const deps = c.get('deps');
  const { id } = c.req.valid('param');
  await setArchived(deps.db, id, true, deps.now());
  await audit(c, 'survey.archive', { type: 'survey', id });
  return c.json(await getSurveyDetail(deps, id, branchScopeOf(c)), 200);
};

export const unarchive: AppRouteHandler<R.UnarchiveRoute> = async (c) => {
  const deps = c.get('deps');
  const { id } = c.req.valid('param');
  await setArchived(deps.db, id, false, deps.now());
  await audit(c, 'survey.unarchive', { type: 'survey', id });
  return c.json(await getSurveyDetail(deps, id, branchScopeOf(c)), 200);
};

export const duplicate: AppRouteHandler<R.DuplicateRoute> = async (c) => {
  const deps = c.get('deps');
  const { id } = c.req.valid('param');
  const input = c.req.valid('json') ?? {};
  const copy = await duplicateSurvey(deps.sql, id, input.name, deps.now());
  await audit(c, 'survey.duplicate', { type: 'survey', id: copy }, { from: id });
  return c.json(await getSurveyDetail(deps, copy, branchScopeOf(c)), 201);
};

export const listTemplates: AppRouteHandler<R.ListTemplatesRoute> = async (c) => {
  return c.json(templates.map(templateSummary), 200);
};

export const getTemplate: AppRouteHandler<R.GetTemplateRoute> = async (c) => {
  const template = findTemplate(c.req.valid('param').id);
  if (!template) throw notFound('No such template');
  return c.json({ ...templateSummary(template), definition: template.definition }, 200);
};

export const createFromTemplate: AppRouteHandler<R.CreateFromTemplateRoute> = async (c) => {
  const deps = c.get('deps');
  const template = findTemplate(c.req.valid('param').id);
  if (!template) throw notFound('No such template');
  const input = c.req.valid('json') ?? {};
  const name = input.name ?? template.name[template.definition.defaultLocale] ?? template.id;
  const row = await insertSurvey(deps.db, { name, kind: input.kind ?? templateKind(template), definition: template.definition }, deps.now());
  await audit(c, 'survey.create', { type: 'survey', id: row.id }, { kind: row.kind, fromTemplate: template.id });
  return c.json(await getSurveyDetail(deps, row.id, branchScopeOf(c)), 201);
};

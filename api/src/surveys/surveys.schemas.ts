import { z } from '@hono/zod-openapi';
import { z as zod } from 'zod';
import { DEFINITION_PROBLEM_CODES, SUPPORTED_LOCALES, surveyDefinitionShapeSchema, type SurveyDefinition } from '@rs/survey-definition';

// ---------------------------------------------------------------------------------------------
// The survey definition in the OpenAPI document: generated from the one zod schema (JSON Schema
// 2020-12), its recursive parts ($defs) lifted into components so every $ref resolves. Request bodies
// carry it as `unknown` and are checked with validateSurveyDefinition, whose issues name each fault.
// ---------------------------------------------------------------------------------------------

const DEFINITION_COMPONENT = 'SurveyDefinition';

function definitionComponents(): Record<string, unknown> {
  const json = zod.toJSONSchema(surveyDefinitionShapeSchema, { io: 'input', target: 'draft-2020-12', unrepresentable: 'any' }) as Record<string, unknown>;
  const { $defs = {}, $schema: _ignored, ...root } = json as { $defs?: Record<string, unknown>; $schema?: string };
  const rename = (name: string) => `${DEFINITION_COMPONENT}_${name.replace(/[^A-Za-z0-9_.-]/g, '_')}`;
  const rewrite = (value: unknown): unknown => {
    if (Array.isArray(value)) return value.map(rewrite);
    if (value && typeof value === 'object') {
      return Object.fromEntries(
        Object.entries(value).map(([k, v]) =>
          k === '$ref' && typeof v === 'string' && v.startsWith('#/$defs/')
            ? [k, `#/components/schemas/${rename(v.slice('#/$defs/'.length))}`]
            : [k, rewrite(v)],
        ),
      );
    }
    return value;
  };
  const out: Record<string, unknown> = {
    [DEFINITION_COMPONENT]: { ...(rewrite(root) as object), description: 'A survey definition (packages/survey-definition/README.md).' },
  };
  for (const [name, schema] of Object.entries($defs)) out[rename(name)] = rewrite(schema);
  return out;
}

/** Registers the SurveyDefinition components on a router's OpenAPI registry. */
export function registerDefinitionComponents(registry: { registerComponent: (type: 'schemas', name: string, component: never) => unknown }) {
  for (const [name, schema] of Object.entries(definitionComponents())) registry.registerComponent('schemas', name, schema as never);
}

/** A definition in a request body: anything, checked by validateSurveyDefinition in the handler. */
const definitionRef = () => z.unknown().openapi({ $ref: `#/components/schemas/${DEFINITION_COMPONENT}` } as never);
/**
 * A definition in a response: one the API stored after validating it, so callers get its type. Not checked
 * again on the way out (responses never are); the OpenAPI document refers to the generated component.
 */
export const storedDefinitionSchema = () =>
  z.custom<SurveyDefinition>().openapi({ type: 'object', $ref: `#/components/schemas/${DEFINITION_COMPONENT}` } as never);

// ---------------------------------------------------------------------------------------------
// Parameters and bodies
// ---------------------------------------------------------------------------------------------

export const versionParamSchema = z.object({
  id: z.uuid().openapi({ param: { name: 'id', in: 'path' } }),
  version: z.coerce
    .number()
    .int()
    .min(1)
    .openapi({ param: { name: 'version', in: 'path' }, example: 2 }),
});

export const templateIdParamSchema = z.object({
  id: z
    .string()
    .min(1)
    .max(64)
    .openapi({ param: { name: 'id', in: 'path' }, example: 'post-rental' }),
});

const statusSchema = z.enum(['draft', 'active', 'archived']);

export const listQuerySchema = z.object({
  status: statusSchema.optional().openapi({ description: 'Only surveys with this status' }),
  unpublished: z
    .enum(['true', 'false'])
    .optional()
    .openapi({ description: 'true: only surveys whose draft differs from the latest version (drafts to publish)' }),
});

const surveyName = z.string().trim().min(1, 'A name is required').max(200);
const kindSchema = z
  .string()
  .regex(/^[a-z][a-z0-9_]{0,39}$/, 'lower-case letters, digits and _')
  .openapi({ description: '`post_rental` surveys receive the rental invitations', example: 'post_rental' });

export const createSurveyBodySchema = z
  .object({
    name: surveyName,
    kind: kindSchema.optional().openapi({ description: 'Defaults to the template\'s kind, else "custom"' }),
    fromTemplate: z.string().min(1).max(64).optional().openapi({ description: 'Start from this template (GET /api/survey-templates)', example: 'post-rental' }),
    definition: definitionRef().optional().openapi({ description: 'Start from this definition (neither: a blank survey)' }),
    defaultLocale: z.enum(SUPPORTED_LOCALES).optional().openapi({ description: 'Default locale of a blank survey (zh-CN)' }),
  })
  .openapi('CreateSurvey');

export const updateDraftBodySchema = z
  .object({
    definition: definitionRef(),
    name: surveyName.optional(),
    expectedUpdatedAt: z.iso
      .datetime({ offset: true })
      .optional()
      .openapi({ description: "The draft's updatedAt the edit started from; 409 when someone saved in between" }),
  })
  .openapi('UpdateDraft');

export const duplicateBodySchema = z.object({ name: surveyName.optional() }).openapi('DuplicateSurvey');
export const fromTemplateBodySchema = z.object({ name: surveyName.optional(), kind: kindSchema.optional() }).openapi('SurveyFromTemplate');

// ---------------------------------------------------------------------------------------------
// Results
// ---------------------------------------------------------------------------------------------

export const surveySummarySchema = z
  .object({
    id: z.uuid(),
    name: z.string(),
    kind: z.string(),
    status: statusSchema,
    latestVersion: z.number().int().nullable(),
    publishedAt: z.string().nullable().openapi({ description: 'When the latest version was published' }),
    draftUpdatedAt: z.string(),
    unpublishedChanges: z.boolean().openapi({ description: 'The draft differs from the latest version (always true before the first publish)' }),
    responses: z.number().int().openapi({ description: 'Finished responses, all versions' }),
    receivesRentalInvitations: z
      .boolean()
      .openapi({ description: 'New rentals are invited to this survey (an active post-rental survey; which rentals: its invitation targets)' }),
  })
  .openapi('SurveySummary');

const changeSchema = z.object({
  kind: z.enum(['page', 'question', 'item', 'choice', 'dimension']),
  id: z.string(),
  questionId: z.string().optional(),
  path: z.string(),
});

export const comparisonSchema = z
  .object({
    added: z.array(changeSchema),
    removed: z.array(changeSchema),
    changed: z.array(changeSchema.extend({ fields: z.array(z.string()), breaksComparability: z.boolean() })),
    breaksComparability: z.boolean(),
    warnings: z.array(z.object({ path: z.string(), message: z.string() })),
  })
  .openapi('VersionComparison');

export const versionSummarySchema = z
  .object({
    version: z.number().int(),
    publishedAt: z.string(),
    breaksComparability: z.boolean().openapi({ description: 'Results of this version cannot be trended with the previous one' }),
    changes: z
      .object({ added: z.number().int(), removed: z.number().int(), changed: z.number().int() })
      .nullable()
      .openapi({ description: 'null for version 1' }),
    invitations: z.number().int(),
    responses: z.number().int().openapi({ description: 'Finished responses answered with this version' }),
  })
  .openapi('SurveyVersionSummary');

export const versionDetailSchema = z
  .object({
    surveyId: z.uuid(),
    version: z.number().int(),
    publishedAt: z.string(),
    definition: storedDefinitionSchema(),
    changeSummary: comparisonSchema.nullable(),
    invitations: z.number().int(),
    responses: z.number().int(),
  })
  .openapi('SurveyVersion');

export const draftSchema = z
  .object({
    definition: storedDefinitionSchema(),
    updatedAt: z.string(),
    baseVersion: z.number().int().nullable().openapi({ description: 'The latest published version the draft is compared with' }),
    unpublishedChanges: z.boolean(),
  })
  .openapi('SurveyDraft');

export const surveyDetailSchema = z
  .object({
    id: z.uuid(),
    name: z.string(),
    kind: z.string(),
    status: statusSchema,
    createdAt: z.string(),
    latestVersion: z.number().int().nullable(),
    responses: z.number().int(),
    receivesRentalInvitations: z.boolean(),
    draft: draftSchema,
    versions: z.array(versionSummarySchema),
  })
  .openapi('SurveyDetail');

const issueSchema = z.object({
  path: z.string(),
  code: z.enum(DEFINITION_PROBLEM_CODES).openapi({ description: 'A stable code for the problem; clients translate it with params' }),
  params: z.record(z.string(), z.union([z.string(), z.number()])),
  message: z.string().openapi({ description: 'The problem in English' }),
});

export const missingTranslationsSchema = z
  .array(
    z.object({
      locale: z.string(),
      missing: z.array(
        z.object({
          path: z.string().openapi({ description: 'The field to fill in, e.g. pages.3.questions.6.text' }),
          source: z.string().openapi({ description: 'The text in the default language' }),
          questionId: z.string().nullable(),
        }),
      ),
    }),
  )
  .openapi('MissingTranslations', { description: 'Per language other than the default, the texts it has no translation of' });

export const publishPreviewSchema = z
  .object({
    baseVersion: z.number().int().nullable(),
    nextVersion: z.number().int(),
    unpublishedChanges: z.boolean(),
    valid: z.boolean(),
    issues: z.array(issueSchema).openapi({ description: 'Why the draft cannot be published (paths relative to the definition)' }),
    changeSummary: comparisonSchema.nullable().openapi({ description: 'null before the first publish' }),
    breaksComparability: z.boolean(),
    missingTranslations: missingTranslationsSchema,
  })
  .openapi('PublishPreview');

export const publishResultSchema = z
  .object({
    surveyId: z.uuid(),
    version: z.number().int(),
    publishedAt: z.string(),
    changeSummary: comparisonSchema.nullable(),
    breaksComparability: z.boolean(),
    warnings: z.array(z.object({ path: z.string(), message: z.string() })),
    missingTranslations: missingTranslationsSchema,
  })
  .openapi('PublishResult');

const localizedSchema = z.record(z.string(), z.string());

export const templateSummarySchema = z
  .object({
    id: z.string(),
    kind: z.string(),
    name: localizedSchema,
    description: localizedSchema,
    defaultLocale: z.string(),
    locales: z.array(z.string()),
    pages: z.number().int(),
    questions: z.number().int(),
  })
  .openapi('SurveyTemplateSummary');

export const templateDetailSchema = templateSummarySchema.extend({ definition: storedDefinitionSchema() }).openapi('SurveyTemplate');

export type SurveySummary = z.infer<typeof surveySummarySchema>;
export type SurveyDetail = z.infer<typeof surveyDetailSchema>;

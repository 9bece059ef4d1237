import { z } from '@hono/zod-openapi';
import { filterFields, fromBeforeTo } from '../analytics/engine/filters.schemas.ts';
import { summaryResultSchema } from '../analytics/summary.schemas.ts';
import { statusResultSchema } from '../targets/targets.schemas.ts';

const text = (max: number) => z.string().trim().min(1).max(max);

/** A region's code: what branches, analytics filters and alert rules name it by (existing regions keep their old text). */
export const regionCode = text(100)
  .refine((code) => !/[,/\\?#%]/.test(code), 'no ",", "/", "\\", "?", "#" or "%" (the code is used in links and filter lists)')
  .openapi({ description: 'The code branches and filters name the region by', example: 'EAST' });

export const regionSchema = z
  .object({
    id: z.uuid(),
    code: z.string(),
    name: z.string().openapi({ description: 'Chinese name' }),
    nameEn: z.string().nullable().openapi({ description: 'English name' }),
    active: z.boolean().openapi({ description: 'Inactive regions keep their branches and history but are no longer offered' }),
    branchCount: z.number().int().openapi({ description: 'Branches in the region (that the caller sees)' }),
    createdAt: z.string(),
    updatedAt: z.string(),
  })
  .openapi('Region');
export type Region = z.infer<typeof regionSchema>;

export const regionCreateSchema = z
  .object({
    code: regionCode,
    name: text(100),
    nameEn: text(100).nullable().optional(),
    active: z.boolean().default(true),
  })
  .openapi('RegionCreate');
export type RegionCreate = z.infer<typeof regionCreateSchema>;

export const regionUpdateSchema = z
  .object({ name: text(100), nameEn: text(100).nullable(), active: z.boolean() })
  .partial()
  .openapi('RegionUpdate', { description: 'The code cannot change: branches, filters and rules refer to it' });
export type RegionUpdate = z.infer<typeof regionUpdateSchema>;

export const regionIdParamSchema = z.object({ id: z.uuid().openapi({ param: { name: 'id', in: 'path' } }) });
export const regionCodeParamSchema = z.object({ code: text(100).openapi({ param: { name: 'code', in: 'path' } }) });

export const regionImportResultSchema = z
  .object({ rows: z.number().int(), created: z.number().int(), updated: z.number().int(), unchanged: z.number().int() })
  .openapi('RegionImportResult');

const { branch: _branch, region: _region, ...rollupFilters } = filterFields;
export const regionRollupQuerySchema = z.object(rollupFilters).refine(...fromBeforeTo);
export type RegionRollupQuery = z.infer<typeof regionRollupQuerySchema>;

export const regionRollupSchema = z
  .object({
    region: regionSchema.omit({ branchCount: true, createdAt: true, updatedAt: true }),
    branches: summaryResultSchema.openapi({ description: 'The league table: the region’s branches (groupBy=branch)' }),
    regionTotal: summaryResultSchema.openapi({ description: 'The region as a whole' }),
    company: summaryResultSchema.openapi({ description: 'The whole company with the same filters: totals only, no branch rows' }),
    targets: z.object({ region: statusResultSchema, company: statusResultSchema, branches: statusResultSchema }).nullable().openapi({
      description:
        'The region, the company and the region’s branches against their targets (GET /api/targets/status); null with a customer, rental, brand or open-link filter, since targets are set for whole companies, regions and branches',
    }),
  })
  .openapi('RegionRollup');

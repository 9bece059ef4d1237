// /api/analytics/filter-options: what the dashboard's filter lists offer, read from the small tables
// (branches, regions) and one distinct over rentals, instead of summarising every response per segment.
import { inBranchScope } from '../access/scope.ts';
import type { Sql } from '../db/client.ts';
import type { AnalyticsContext } from './analytics.routes.ts';
import { loadSurveyContext } from './engine/survey-context.ts';
import { BOOKING_CHANNELS, CUSTOMER_TIERS, CUSTOMER_TYPES, type FilterOptionsQuery } from './filter-options.schemas.ts';

export async function buildFilterOptions(sql: Sql, query: FilterOptionsQuery, context: Pick<AnalyticsContext, 'branchScope'>) {
  const english = query.lang === 'en';
  const [survey, branches, regions, vehicleClasses, brands] = await Promise.all([
    loadSurveyContext(sql, query.survey),
    sql<{ key: string; label: string }[]>`
      select b.code as key, ${english ? sql`coalesce(b.name_en, b.name)` : sql`b.name`} as label
      from branches b
      where ${inBranchScope(sql, context.branchScope, 'b.id')}
      order by b.code`,
    sql<{ key: string; label: string }[]>`
      select g.code as key, ${english ? sql`coalesce(g.name_en, g.name)` : sql`g.name`} as label
      from regions g
      where exists (select 1 from branches b where b.region_id = g.id and ${inBranchScope(sql, context.branchScope, 'b.id')})
      order by g.code`,
    context.branchScope === null
      ? // Every rental: a skip scan over rentals_vehicle_class_idx, one index probe per class (a distinct
        // over all rentals reads every row: seconds at a national company's size).
        sql<{ vehicle_class: string }[]>`
          with recursive classes as (
            (select r.vehicle_class from rentals r order by r.vehicle_class limit 1)
            union all
            select (select r.vehicle_class from rentals r where r.vehicle_class > c.vehicle_class order by r.vehicle_class limit 1)
            from classes c where c.vehicle_class is not null)
          select vehicle_class from classes where vehicle_class is not null order by vehicle_class`
      : sql<{ vehicle_class: string }[]>`
          select distinct r.vehicle_class from rentals r
          where ${inBranchScope(sql, context.branchScope, 'r.return_branch_id')}
          order by r.vehicle_class`,
    sql<{ key: string; label: string }[]>`
      select br.code as key, ${english ? sql`coalesce(br.name_en, br.name)` : sql`br.name`} as label
      from brands br
      where exists (select 1 from branches b where b.brand_id = br.id and ${inBranchScope(sql, context.branchScope, 'b.id')})
      order by br.code`,
  ]);
  return {
    survey: query.survey,
    minN: survey.minN,
    branches: [...branches],
    regions: [...regions],
    brands: [...brands],
    vehicleClasses: vehicleClasses.map((r) => r.vehicle_class),
    tiers: [...CUSTOMER_TIERS],
    customerTypes: [...CUSTOMER_TYPES],
    channels: [...BOOKING_CHANNELS],
  };
}

// Which branches the caller may see, for queries that carry a branch. Branch managers see their own
// branches; everyone else (and API keys) sees all. Apply it in the SQL, never only in the UI.
import { inArray, sql as drizzleSql, type SQL } from 'drizzle-orm';
import type { AnyPgColumn } from 'drizzle-orm/pg-core';
import type { Context } from 'hono';
import type { Sql } from '../db/client.ts';
import type { AppBindings } from '../lib/types.ts';

/** Branch ids the caller may see; null = all branches. No principal sees nothing. */
export function branchScopeOf(c: Context<AppBindings>): string[] | null {
  const principal = c.get('principal');
  if (!principal) return [];
  return principal.branchIds;
}

/**
 * A postgres.js condition limiting `column` (a trusted SQL expression such as `r.branch_id`) to the
 * scope: `where … and ${inBranchScope(sql, scope, 'r.branch_id')}`.
 */
export function inBranchScope(sql: Sql, scope: string[] | null, column: string) {
  if (scope === null) return sql`true`;
  return sql`${sql.unsafe(column)} = any(${scope}::uuid[])`;
}

/** The same for drizzle's query builder: `.where(and(…, branchScopeWhere(scope, responses.branchId)))`. */
export function branchScopeWhere(scope: string[] | null, column: AnyPgColumn): SQL | undefined {
  if (scope === null) return undefined;
  if (scope.length === 0) return drizzleSql`false`;
  return inArray(column, scope);
}

/** True when the caller may see data of this branch. */
export function mayAccessBranch(scope: string[] | null, branchId: string | null | undefined): boolean {
  if (scope === null) return true;
  return !!branchId && scope.includes(branchId);
}

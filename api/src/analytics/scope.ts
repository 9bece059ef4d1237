// The branch scope of the caller, applied inside every analytics query. The access rules set the
// `branchScope` context variable (branch ids the caller may see); without it all branches are visible.
import type { Context } from 'hono';

export function analyticsBranchScope(c: Context): string[] | null {
  const scope = (c.var as Record<string, unknown>).branchScope;
  return Array.isArray(scope) ? (scope as string[]) : null;
}

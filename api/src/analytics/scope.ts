// The branches the caller may see (the access rules: branch managers their own, everyone else all),
// applied inside every analytics query's SQL on the response's branch.
import type { Context } from 'hono';
import { branchScopeOf } from '../access/scope.ts';
import type { AppBindings } from '../lib/types.ts';

export function analyticsBranchScope(c: Context<AppBindings>): string[] | null {
  return branchScopeOf(c);
}

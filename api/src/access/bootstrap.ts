// At start: make sure someone can sign in, and say how.
import type { AppDeps } from '../lib/types.ts';
import { ensureFirstAdmin } from './auth.queries.ts';
import type { Role } from './permissions.ts';

export const ROLE_LABELS: Record<Role, string> = {
  admin: 'admin',
  quality_manager: 'quality manager',
  branch_manager: 'branch manager',
  regional_manager: 'regional manager',
  executive: 'executive',
};

/**
 * Creates the first administrator from ADMIN_EMAIL/ADMIN_PASSWORD or a one-time setup link when there is
 * none; returns what to print: the demo sign-ins (when given) and the setup link.
 */
export async function announceAccess(
  deps: Pick<AppDeps, 'db' | 'env' | 'publicUrl' | 'now'>,
  demo: { demoPassword: string; users: readonly { role: Role; email: string; branches: readonly string[]; regions?: readonly string[] }[] } | null,
): Promise<{ info: string[]; action: string[] }> {
  const info: string[] = [];
  const action: string[] = [];
  if (demo && demo.users.length > 0) {
    info.push(`Demo sign-ins at ${deps.publicUrl}/login (password "${demo.demoPassword}"):`);
    for (const u of demo.users) {
      const scope = [...u.branches, ...(u.regions ?? []).map((r) => `region ${r}`)];
      info.push(`  ${ROLE_LABELS[u.role].padEnd(16)} ${u.email}${scope.length ? ` (${scope.join(', ')})` : ''}`);
    }
  }
  const first = await ensureFirstAdmin(deps.db, deps.env, deps.publicUrl, deps.now());
  if (first.kind === 'created') info.push(`Administrator ${first.email} created from ADMIN_EMAIL.`);
  if (first.kind === 'link') {
    action.push(`No administrator yet. Create one within 24 hours with this one-time link: ${first.link}`);
    action.push('(Or set ADMIN_EMAIL and ADMIN_PASSWORD and restart.)');
  }
  return { info, action };
}

// What each route needs; the access domain decides who has it (roles, API key scopes).
export const PERMISSIONS = [
  'surveys:read',
  'surveys:write',
  'rentals:write',
  'distribution:read',
  'distribution:write',
  'responses:read',
  'responses:export',
  'analytics:read',
  'cases:read',
  'cases:write',
  'rules:write',
  'users:admin',
  'audit:read',
  'privacy:admin',
  'webhooks:admin',
  'branches:admin',
] as const;

export type Permission = (typeof PERMISSIONS)[number];
/**
 * `public`: no credentials (health, the customer's survey endpoints, signing in).
 * `account`: any signed-in staff user, whatever the role (their own profile, password, signing out).
 */
export type RouteAccess = Permission | 'public' | 'account';

export const ROLES = ['admin', 'quality_manager', 'branch_manager', 'regional_manager', 'executive'] as const;
export type Role = (typeof ROLES)[number];

/**
 * Admin: everything. Quality manager: surveys, rules, distribution, all analytics, responses and cases.
 * Branch manager: analytics, responses (and their export) and cases of their own branches (scoped in SQL, contacts masked).
 * Regional manager: the same for every branch of their regions (branches added to a region later included).
 * Executive: every dashboard, read-only.
 */
export const ROLE_PERMISSIONS: Record<Role, readonly Permission[]> = {
  admin: PERMISSIONS,
  quality_manager: [
    'surveys:read',
    'surveys:write',
    'rentals:write',
    'distribution:read',
    'distribution:write',
    'responses:read',
    'responses:export',
    'analytics:read',
    'cases:read',
    'cases:write',
    'rules:write',
  ],
  branch_manager: ['surveys:read', 'responses:read', 'responses:export', 'analytics:read', 'cases:read', 'cases:write'],
  regional_manager: ['surveys:read', 'responses:read', 'responses:export', 'analytics:read', 'cases:read', 'cases:write'],
  executive: ['surveys:read', 'analytics:read'],
};

/** Scopes an API key for an integration may carry. */
export const API_KEY_SCOPES = ['rentals:write', 'responses:read', 'analytics:read', 'surveys:read'] as const satisfies readonly Permission[];
export type ApiKeyScope = (typeof API_KEY_SCOPES)[number];

/**
 * Roles that see only some branches: branch managers the branches assigned to them, regional managers every
 * branch of the regions assigned to them (api/src/access/auth.queries.ts, scopedBranches).
 */
export const BRANCH_SCOPED_ROLES: readonly Role[] = ['branch_manager', 'regional_manager'];
/** Roles that see customers' email and phone masked. */
export const MASKED_CONTACT_ROLES: readonly Role[] = ['branch_manager', 'regional_manager'];

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
] as const;

export type Permission = (typeof PERMISSIONS)[number];
/** `public`: no credentials (health, the customer's survey endpoints). */
export type RouteAccess = Permission | 'public';

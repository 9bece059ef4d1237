import { API_KEY_SCOPES, BRANCH_SCOPED_ROLES, MASKED_CONTACT_ROLES, ROLE_PERMISSIONS, type Permission, type Role } from './permissions.ts';

interface PrincipalBase {
  id: string;
  permissions: ReadonlySet<Permission>;
  /** Branches whose data this principal may see; null = all branches. */
  branchIds: string[] | null;
  /** Customers' email and phone are shown masked. */
  maskContacts: boolean;
}

export interface UserPrincipal extends PrincipalBase {
  kind: 'user';
  email: string;
  name: string;
  role: Role;
  sessionId: string;
}

export interface ApiKeyPrincipal extends PrincipalBase {
  kind: 'api_key';
  name: string;
}

export type Principal = UserPrincipal | ApiKeyPrincipal;

export function userPrincipal(user: { id: string; email: string; name: string; role: Role }, sessionId: string, branchIds: string[]): UserPrincipal {
  return {
    kind: 'user',
    id: user.id,
    email: user.email,
    name: user.name,
    role: user.role,
    sessionId,
    permissions: new Set(ROLE_PERMISSIONS[user.role]),
    branchIds: BRANCH_SCOPED_ROLES.includes(user.role) ? branchIds : null,
    maskContacts: MASKED_CONTACT_ROLES.includes(user.role),
  };
}

export function apiKeyPrincipal(key: { id: string; name: string; scopes: string[] }): ApiKeyPrincipal {
  const allowed = new Set<string>(API_KEY_SCOPES);
  return {
    kind: 'api_key',
    id: key.id,
    name: key.name,
    permissions: new Set(key.scopes.filter((s) => allowed.has(s)) as Permission[]),
    branchIds: null,
    maskContacts: false,
  };
}

/** How the principal appears in the audit log. */
export function principalLabel(p: Principal): string {
  return p.kind === 'user' ? p.email : `API key “${p.name}”`;
}

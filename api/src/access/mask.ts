// Customers' contact details as the caller may see them: masked for branch managers.
import type { Context } from 'hono';
import type { AppBindings } from '../lib/types.ts';

/** `zhang.wei@example.com` → `z***@example.com`. */
export function maskEmail(email: string | null | undefined): string | null {
  if (!email) return email ?? null;
  const at = email.lastIndexOf('@');
  if (at <= 0) return '***';
  return `${email[0]}***${email.slice(at)}`;
}

/** `+86 138 1234 5678` → `+86 138****5678`: the last four digits stay, the middle is hidden. */
export function maskPhone(phone: string | null | undefined): string | null {
  if (!phone) return phone ?? null;
  const digits = phone.replace(/\D/g, '');
  if (digits.length <= 4) return '****';
  const country = phone.trim().startsWith('+') ? phone.trim().match(/^\+\d{1,3}(?=[\s-])/)?.[0] : undefined;
  const national = country ? digits.slice(country.length - 1) : digits;
  const head = national.length >= 11 ? national.slice(0, 3) : '';
  return `${country ? `${country} ` : ''}${head}****${national.slice(-4)}`;
}

/** Email and phone as this caller may see them. */
export function contactFor<T extends { email?: string | null; phone?: string | null }>(c: Context<AppBindings>, contact: T): T {
  const principal = c.get('principal');
  if (principal && !principal.maskContacts) return contact;
  return {
    ...contact,
    ...('email' in contact ? { email: maskEmail(contact.email) } : {}),
    ...('phone' in contact ? { phone: maskPhone(contact.phone) } : {}),
  };
}

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

/** Whether this caller sees customers' email and phone masked (branch managers; without a principal, always). */
export function masksContacts(c: Context<AppBindings>): boolean {
  const principal = c.get('principal');
  return !principal || principal.maskContacts;
}

const escapeRegExp = (s: string) => s.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');

/**
 * `text` with every occurrence of this customer's email or phone (however the phone's digits are spaced)
 * replaced by its masked form: a contact written into a case note, a contact log or an answer.
 */
export function maskContactIn(text: string, contact: { email?: string | null; phone?: string | null }): string {
  let out = text;
  if (contact.email) out = out.replace(new RegExp(escapeRegExp(contact.email), 'gi'), (found) => maskEmail(found) ?? '');
  const digits = contact.phone?.replace(/\D/g, '') ?? '';
  if (digits.length > 4) {
    // The national number (its last 11 digits at most), with the country code or not, any spacing.
    const national = digits.slice(-11);
    const spaced = national.split('').join('[\\s().-]*');
    out = out.replace(new RegExp(`(\\+?\\d{1,3}[\\s-]*)?${spaced}`, 'g'), (found) => maskPhone(found) ?? '');
  }
  return out;
}

/** Every string inside a JSON value with the customer's contacts masked (see maskContactIn). */
export function maskContactDeep<T>(value: T, contact: { email?: string | null; phone?: string | null }): T {
  if (!contact.email && !contact.phone) return value;
  const walk = (v: unknown): unknown => {
    if (typeof v === 'string') return maskContactIn(v, contact);
    if (Array.isArray(v)) return v.map(walk);
    if (v && typeof v === 'object' && !(v instanceof Date)) return Object.fromEntries(Object.entries(v).map(([k, x]) => [k, walk(x)]));
    return v;
  };
  return walk(value) as T;
}

/** Email and phone as this caller may see them. */
export function contactFor<T extends { email?: string | null; phone?: string | null }>(c: Context<AppBindings>, contact: T): T {
  if (!masksContacts(c)) return contact;
  return {
    ...contact,
    ...('email' in contact ? { email: maskEmail(contact.email) } : {}),
    ...('phone' in contact ? { phone: maskPhone(contact.phone) } : {}),
  };
}

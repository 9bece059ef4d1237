import type { Sql } from '../db/client.ts';
import { auditLog } from '../db/schema.ts';
import type { AuditEntry, Executor } from './audit.ts';
import type { AuditQuery } from './audit.schemas.ts';

interface AuditRow {
  id: number;
  at: string;
  actorType: 'user' | 'api_key' | 'system';
  actorId: string | null;
  actorLabel: string;
  action: string;
  targetType: string;
  targetId: string | null;
  details: Record<string, unknown> | null;
}

export async function listAuditEntries(sql: Sql, query: AuditQuery, timeZone: string) {
  const action = query.action ?? null;
  const prefix = action?.endsWith('.') ? `${action.replace(/[\\%_]/g, '\\$&')}%` : null;
  const rows = await sql<AuditRow[]>`
    select id::int as id, to_json(at)#>>'{}' as at, actor_type as "actorType", actor_id as "actorId", actor_label as "actorLabel",
           action, target_type as "targetType", target_id as "targetId", details
    from audit_log
    where (${prefix}::text is null or action like ${prefix})
      and (${prefix === null ? action : null}::text is null or action = ${action})
      and (${query.targetType ?? null}::text is null or target_type = ${query.targetType ?? null})
      and (${query.targetId ?? null}::text is null or target_id = ${query.targetId ?? null})
      and (${query.actorId ?? null}::uuid is null or actor_id = ${query.actorId ?? null})
      and (${query.from ?? null}::date is null or at >= (${query.from ?? null}::date)::timestamp at time zone ${timeZone})
      and (${query.to ?? null}::date is null or at < (${query.to ?? null}::date + 1)::timestamp at time zone ${timeZone})
      and (${query.before ?? null}::bigint is null or id < ${query.before ?? null})
    order by id desc
    limit ${query.limit + 1}`;
  const more = rows.length > query.limit;
  const entries = rows.slice(0, query.limit).map((r) => ({ ...r, at: new Date(r.at).toISOString() }));
  return { entries, nextBefore: more ? entries[entries.length - 1].id : null };
}

/** One entry of the audit log (audit.ts writeAudit). */
export async function insertAuditEntry(db: Executor, entry: AuditEntry) {
  await db.insert(auditLog).values({
    at: entry.at,
    actorType: entry.actorType,
    actorId: entry.actorId,
    actorLabel: entry.actorLabel,
    action: entry.action,
    targetType: entry.target.type,
    targetId: entry.target.id ?? null,
    details: entry.details ?? null,
  });
}

import type { Sql } from '../db/client.ts';
import type { SqlClient } from '../queue/queue.ts';
import type { Channel } from './rules.schemas.ts';
import { providerErrorReason, providerState, type ProviderState } from './status.health.ts';

// Kept in distribution_state under `provider_health:<channel>`: one small row per channel, merged by
// single statements so several worker processes can write it.
const key = (channel: Channel) => `provider_health:${channel}`;

/** Successes are written at most this often per process while nothing failed (one row, many sends). */
const SUCCESS_WRITE_EVERY_MS = 5_000;
const lastSuccessWrites = new WeakMap<object, Map<Channel, number>>();
const writesOf = (sql: SqlClient) => {
  if (!lastSuccessWrites.has(sql)) lastSuccessWrites.set(sql, new Map());
  return lastSuccessWrites.get(sql)!;
};

export async function recordProviderSuccess(sql: SqlClient, channel: Channel, transport: string, at: Date) {
  const writes = writesOf(sql);
  const last = writes.get(channel);
  if (last !== undefined && at.getTime() - last >= 0 && at.getTime() - last < SUCCESS_WRITE_EVERY_MS) return;
  writes.set(channel, at.getTime());
  const iso = at.toISOString();
  await sql`
    insert into distribution_state (key, value, updated_at)
    values (${key(channel)}, jsonb_build_object('transport', ${transport}::text, 'lastSuccessAt', ${iso}::text, 'failuresSinceSuccess', 0), ${iso})
    on conflict (key) do update set
      value = distribution_state.value || jsonb_build_object('transport', ${transport}::text, 'lastSuccessAt', ${iso}::text, 'failuresSinceSuccess', 0),
      updated_at = ${iso}`;
}

/** A hand-over the provider did not take (unreachable, timed out, a temporary refusal): not the address's fault. */
export async function recordProviderFailure(sql: SqlClient, channel: Channel, transport: string, message: string, at: Date) {
  // The next success is written at once.
  writesOf(sql).delete(channel);
  const iso = at.toISOString();
  const reason = providerErrorReason(message);
  await sql`
    insert into distribution_state (key, value, updated_at)
    values (${key(channel)}, jsonb_build_object('transport', ${transport}::text, 'lastErrorAt', ${iso}::text, 'lastError', ${reason}::text, 'failuresSinceSuccess', 1), ${iso})
    on conflict (key) do update set
      value = distribution_state.value || jsonb_build_object('transport', ${transport}::text, 'lastErrorAt', ${iso}::text, 'lastError', ${reason}::text,
        'failuresSinceSuccess', coalesce((distribution_state.value->>'failuresSinceSuccess')::int, 0) + 1),
      updated_at = ${iso}`;
}

type TransportName = 'smtp' | 'sms_webhook' | 'outbox';

export interface ProviderHealth {
  transport: TransportName;
  state: ProviderState;
  lastSuccessAt: string | null;
  lastErrorAt: string | null;
  lastError: string | null;
  failuresSinceSuccess: number;
  queued: number;
  retrying: number;
}

/** Health of each channel's provider, with its queue: messages waiting to be handed over, and those retrying. */
export async function providerHealth(sql: Sql, transports: Record<Channel, TransportName>): Promise<Record<Channel, ProviderHealth>> {
  const stored = await sql<
    { key: string; value: { transport?: string; lastSuccessAt?: string; lastErrorAt?: string; lastError?: string; failuresSinceSuccess?: number } }[]
  >`
    select key, value from distribution_state where key like 'provider_health:%'`;
  const queues = await sql<{ channel: Channel; queued: number; retrying: number }[]>`
    select channel, count(*)::int as queued, (count(*) filter (where attempts > 0 and last_error is not null))::int as retrying
    from deliveries where status = 'queued' group by channel`;
  const result = {} as Record<Channel, ProviderHealth>;
  for (const channel of ['email', 'sms'] as const) {
    const v = stored.find((s) => s.key === key(channel))?.value ?? {};
    // Facts recorded for another transport (e.g. before SMTP was configured) do not describe this one.
    const facts = v.transport === transports[channel] ? v : {};
    const q = queues.find((x) => x.channel === channel);
    const health = {
      lastSuccessAt: facts.lastSuccessAt ?? null,
      lastErrorAt: facts.lastErrorAt ?? null,
      failuresSinceSuccess: facts.failuresSinceSuccess ?? 0,
    };
    result[channel] = {
      transport: transports[channel],
      state: transports[channel] === 'outbox' ? 'ok' : providerState(health),
      ...health,
      lastError: facts.lastError ?? null,
      queued: q?.queued ?? 0,
      retrying: q?.retrying ?? 0,
    };
  }
  return result;
}

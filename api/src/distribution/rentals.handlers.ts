import { unprocessable } from '../lib/problem.ts';
import type { AppDeps, AppRouteHandler } from '../lib/types.ts';
import type { RowResult } from './ingest.ts';
import { ingestBatch, rentalRowFromInput } from './rentals.queries.ts';
import type { CreateRentalRoute, CreateRentalBatchRoute } from './rentals.routes.ts';
import { rentalInputSchema, type RentalInput } from './rentals.schemas.ts';
import { surveyLink, tokenSecret } from './tokens.ts';
import { wakeSender } from './worker-signal.ts';

function invitationBody(deps: AppDeps, invitation: RowResult['invitation']) {
  if (!invitation) return null;
  const { token, ...rest } = invitation;
  return { ...rest, ...(token ? { link: surveyLink(deps.publicUrl, token) } : {}) };
}

function ingestContext(deps: AppDeps) {
  return { now: deps.now(), tokenSecret: tokenSecret(deps.env) };
}

export const createRental: AppRouteHandler<CreateRentalRoute> = async (c) => {
  const deps = c.get('deps');
  const { results, invitationsCreated } = await ingestBatch(deps.db, ingestContext(deps), [rentalRowFromInput(c.req.valid('json'))]);
  const result = results[0];
  if (result.status === 'rejected') throw unprocessable(result.reason === 'unknown_branch' ? 'Unknown branch' : 'Rental not stored', result.errors);
  if (invitationsCreated > 0) wakeSender();
  const body = {
    rentalId: result.rentalId!,
    created: result.status === 'created',
    invitation: invitationBody(deps, result.invitation ?? null),
    ...(result.reason ? { reason: result.reason } : {}),
  };
  return c.json(body, result.status === 'created' ? 201 : 200);
};

export const createRentalBatch: AppRouteHandler<CreateRentalBatchRoute> = async (c) => {
  const deps = c.get('deps');
  const items = c.req.valid('json').rentals;
  const parsed = items.map((item) => rentalInputSchema.safeParse(item));
  const valid: { index: number; input: RentalInput }[] = [];
  parsed.forEach((p, index) => {
    if (p.success) valid.push({ index, input: p.data });
  });
  const { results, invitationsCreated } = valid.length
    ? await ingestBatch(
        deps.db,
        ingestContext(deps),
        valid.map((v) => rentalRowFromInput(v.input)),
      )
    : { results: [], invitationsCreated: 0 };
  if (invitationsCreated > 0) wakeSender();
  const byIndex = new Map(valid.map((v, i) => [v.index, results[i]]));
  const out = items.map((item, index) => {
    const externalId = typeof (item as { externalId?: unknown })?.externalId === 'string' ? (item as { externalId: string }).externalId : null;
    const p = parsed[index];
    if (!p.success) {
      return {
        index,
        externalId,
        status: 'rejected' as const,
        reason: 'invalid',
        errors: p.error.issues.map((i) => ({ path: i.path.map(String).join('.') || '(root)', message: i.message })),
      };
    }
    const r = byIndex.get(index)!;
    return {
      index,
      externalId,
      status: r.status,
      ...(r.rentalId ? { rentalId: r.rentalId } : {}),
      ...(r.status !== 'rejected' ? { invitation: invitationBody(deps, r.invitation ?? null) } : {}),
      ...(r.reason ? { reason: r.reason } : {}),
      ...(r.errors ? { errors: r.errors } : {}),
    };
  });
  const count = (s: string) => out.filter((o) => o.status === s).length;
  return c.json(
    {
      summary: {
        received: items.length,
        created: count('created'),
        updated: count('updated'),
        unchanged: count('unchanged'),
        rejected: count('rejected'),
        invited: invitationsCreated,
      },
      results: out,
    },
    200,
  );
};

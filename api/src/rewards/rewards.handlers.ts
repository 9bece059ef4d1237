import { randomInt } from 'node:crypto';
import type { Context } from 'hono';
import { audit } from '../access/audit.ts';
import { branchScopeOf } from '../access/scope.ts';
import { knownBranchCodes } from '../branches/branches.queries.ts';
import { uptakeBy, uptakeFromCounts } from '../analytics/engine/statistics/uptake.ts';
import { ProblemError, unprocessable, type ProblemFieldError } from '../lib/problem.ts';
import type { AppBindings, AppRouteHandler } from '../lib/types.ts';
import { codesFromCsv, redemptionsFromCsv } from './rewards.csv.ts';
import * as q from './rewards.queries.ts';
import { settleOwedRewards } from './rewards.issue.ts';
import { txSql } from '../queue/queue.ts';
import type {
  CreateProgrammeRoute,
  GenerateCodesRoute,
  GetProgrammeRoute,
  ImportCodesRoute,
  ImportRedemptionsRoute,
  ListProgrammesRoute,
  PostRedemptionsRoute,
  UpdateProgrammeRoute,
  UptakeRoute,
} from './rewards.routes.ts';
import type { Redemption } from './rewards.schemas.ts';

const MAX_CSV_BYTES = 10 * 1024 * 1024;

async function csvText(c: Context<AppBindings>): Promise<string> {
  const tooLarge = () => new ProblemError(413, 'Payload Too Large', `A file may have at most ${MAX_CSV_BYTES / 1024 / 1024} MB`);
  if (Number(c.req.header('content-length') ?? 0) > MAX_CSV_BYTES) throw tooLarge();
  const text = await c.req.text();
  if (Buffer.byteLength(text) > MAX_CSV_BYTES) throw tooLarge();
  return text;
}

export const listProgrammes: AppRouteHandler<ListProgrammesRoute> = async (c) => c.json(await q.listProgrammes(c.get('deps').sql), 200);

export const getProgramme: AppRouteHandler<GetProgrammeRoute> = async (c) => c.json(await q.oneProgramme(c.get('deps').sql, c.req.valid('param').id), 200);

export const createProgramme: AppRouteHandler<CreateProgrammeRoute> = async (c) => {
  const { sql, env, now } = c.get('deps');
  const programme = await q.createProgramme(sql, c.req.valid('json'), env.COMPANY_TIME_ZONE, now());
  await audit(c, 'reward.programme.create', { type: 'reward_programme', id: programme.id }, { surveyId: programme.surveyId });
  return c.json(programme, 201);
};

export const updateProgramme: AppRouteHandler<UpdateProgrammeRoute> = async (c) => {
  const { sql, now } = c.get('deps');
  const { id } = c.req.valid('param');
  const input = c.req.valid('json');
  const programme = await q.updateProgramme(sql, id, input, now());
  await audit(c, 'reward.programme.update', { type: 'reward_programme', id }, { fields: Object.keys(input) });
  return c.json(programme, 200);
};

export const importCodes: AppRouteHandler<ImportCodesRoute> = async (c) => {
  const { db, now } = c.get('deps');
  const { id } = c.req.valid('param');
  const parsed = codesFromCsv(await csvText(c));
  if (!parsed.ok) throw unprocessable('Some rows are not valid codes; nothing was added', parsed.errors);
  // A drizzle transaction: owed rewards settled with the new codes are audited in it.
  const result = await db.transaction(async (dtx) => {
    const tx = txSql(dtx);
    await q.lockProgramme(tx, id);
    const known = await q.existingCodes(
      tx,
      id,
      parsed.records.map((r) => r.value),
    );
    const errors: ProblemFieldError[] = parsed.records
      .filter((r) => known.has(r.value))
      .map((r) => ({ path: `row ${r.row}.code`, row: r.row, code: 'code_exists', message: `code "${r.value}" is in the pool already` }));
    if (errors.length > 0) throw unprocessable('Some codes are in the pool already; nothing was added', errors);
    const added = await q.insertCodes(
      tx,
      id,
      parsed.records.map((r) => r.value),
      now(),
    );
    const toOwed = await settleOwedRewards(dtx, id, now());
    return { added, available: await q.availableCount(tx, id), toOwed };
  });
  await audit(c, 'reward.codes.import', { type: 'reward_programme', id }, { added: result.added });
  return c.json(result, 200);
};

// Easily confused characters (0/O, 1/I/L) are left out.
const ALPHABET = 'ABCDEFGHJKMNPQRSTUVWXYZ23456789';
const randomCode = (prefix: string) => prefix + Array.from({ length: 8 }, () => ALPHABET[randomInt(ALPHABET.length)]).join('');

export const generateCodes: AppRouteHandler<GenerateCodesRoute> = async (c) => {
  const { db, now } = c.get('deps');
  const { id } = c.req.valid('param');
  const { prefix, count } = c.req.valid('json');
  const result = await db.transaction(async (dtx) => {
    const tx = txSql(dtx);
    await q.lockProgramme(tx, id);
    let added = 0;
    // A generated code that happens to exist already is skipped; a few rounds make up the number.
    for (let round = 0; added < count && round < 5; round++) {
      const codes = [...new Set(Array.from({ length: count - added }, () => randomCode(prefix)))];
      added += await q.insertCodes(tx, id, codes, now());
    }
    const toOwed = await settleOwedRewards(dtx, id, now());
    return { added, available: await q.availableCount(tx, id), toOwed };
  });
  await audit(c, 'reward.codes.generate', { type: 'reward_programme', id }, { prefix, added: result.added });
  return c.json(result, 200);
};

/** Checks every redemption against the pool, then records them all, or none (422 naming each bad row). */
async function recordRedemptions(c: Context<AppBindings>, programmeId: string, records: { row: number; value: Redemption }[], path: (row: number) => string) {
  const { sql, now } = c.get('deps');
  const at = now();
  const result = await sql.begin(async (tx) => {
    await q.lockProgramme(tx, programmeId);
    const codes = [...new Set(records.map((r) => r.value.code))];
    const targets = await q.lockCodesForRedemption(tx, programmeId, codes);
    const branches = await knownBranchCodes(tx, [...new Set(records.map((r) => r.value.branch).filter((b): b is string => !!b))]);
    const errors: ProblemFieldError[] = [];
    const seen = new Map<string, number>();
    const updates: { id: string; redeemedAt: string; branch: string | null }[] = [];
    let unchanged = 0;
    const fail = (row: number, field: string, code: string, message: string) => errors.push({ path: `${path(row)}.${field}`, row, code, message });
    for (const { row, value } of records) {
      const target = targets.get(value.code);
      const when = new Date(value.redeemedAt);
      const first = seen.get(value.code);
      if (first !== undefined) fail(row, 'code', 'duplicate_code', `code "${value.code}" is also on row ${first}`);
      else if (!target) fail(row, 'code', 'unknown_code', `code "${value.code}" is not in this programme`);
      else if (!target.issued_at) fail(row, 'code', 'not_issued', `code "${value.code}" was never issued`);
      else if (when < new Date(target.issued_at)) fail(row, 'redeemedAt', 'before_issue', 'redeemed before the code was issued');
      else if (when > at) fail(row, 'redeemedAt', 'in_future', 'redeemed in the future');
      else if (value.branch && !branches.has(value.branch)) fail(row, 'branch', 'unknown_branch', `no branch "${value.branch}"`);
      else if (target.redeemed_at && new Date(target.redeemed_at).getTime() !== when.getTime())
        fail(row, 'code', 'already_redeemed', `code "${value.code}" was recorded redeemed at ${new Date(target.redeemed_at).toISOString()}`);
      else if (target.redeemed_at) unchanged++;
      else updates.push({ id: target.id, redeemedAt: when.toISOString(), branch: value.branch ?? null });
      seen.set(value.code, first ?? row);
    }
    if (errors.length > 0) throw unprocessable('Some redemptions cannot be recorded; nothing was recorded', errors);
    return { rows: records.length, redeemed: await q.markRedeemed(tx, updates), unchanged };
  });
  await audit(c, 'reward.redemptions', { type: 'reward_programme', id: programmeId }, { ...result });
  return result;
}

export const importRedemptions: AppRouteHandler<ImportRedemptionsRoute> = async (c) => {
  const { id } = c.req.valid('param');
  const parsed = redemptionsFromCsv(await csvText(c));
  if (!parsed.ok) throw unprocessable('Some rows are not valid redemptions; nothing was recorded', parsed.errors);
  return c.json(await recordRedemptions(c, id, parsed.records, (row) => `row ${row}`), 200);
};

export const postRedemptions: AppRouteHandler<PostRedemptionsRoute> = async (c) => {
  const { id } = c.req.valid('param');
  const records = c.req.valid('json').redemptions.map((value, i) => ({ row: i + 1, value }));
  return c.json(await recordRedemptions(c, id, records, (row) => `redemptions.${row - 1}`), 200);
};

export const uptake: AppRouteHandler<UptakeRoute> = async (c) => {
  const { sql } = c.get('deps');
  const { id } = c.req.valid('param');
  await q.oneProgramme(sql, id);
  const rows = await q.uptakeRows(sql, id, c.req.valid('query'), branchScopeOf(c));
  const total = uptakeFromCounts({ issued: rows.reduce((s, r) => s + r.issued, 0), redeemed: rows.reduce((s, r) => s + r.redeemed, 0) });
  const byBranch = uptakeBy(rows, (r) => r.branch_id).map(({ first, figure }) => ({
    branchId: first.branch_id,
    code: first.branch_code,
    name: first.branch_name,
    nameEn: first.branch_name_en,
    ...figure,
  }));
  const byTier = uptakeBy(rows, (r) => r.value_tier)
    .map(({ key, figure }) => ({ tier: key, ...figure }))
    .sort((a, b) => (a.tier ?? 'Z').localeCompare(b.tier ?? 'Z'));
  return c.json({ programmeId: id, total, byBranch, byTier }, 200);
};

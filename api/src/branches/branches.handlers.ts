import { audit } from '../access/audit.ts';
import { branchScopeOf } from '../access/scope.ts';
import { txSql } from '../queue/queue.ts';
import { ProblemError, unprocessable } from '../lib/problem.ts';
import { regionExists } from '../regions/regions.queries.ts';
import type { AppRouteHandler } from '../lib/types.ts';
import { branchesFromCsv } from './branches.csv.ts';
import * as q from './branches.queries.ts';
import type { CreateBranchRoute, ImportBranchesRoute, ListBranchesRoute, UpdateBranchRoute } from './branches.routes.ts';

const MAX_CSV_BYTES = 2 * 1024 * 1024;

async function assertRegion(sql: Parameters<typeof regionExists>[0], regionId: string | undefined) {
  if (regionId && !(await regionExists(sql, regionId))) throw unprocessable('Unknown region', [{ path: 'regionId', message: `No region ${regionId}` }]);
}

export const listBranches: AppRouteHandler<ListBranchesRoute> = async (c) => {
  const { active } = c.req.valid('query');
  const branches = await q.listBranches(c.get('deps').sql, branchScopeOf(c), { active: active === undefined ? undefined : active === 'true' });
  return c.json(branches, 200);
};

export const createBranch: AppRouteHandler<CreateBranchRoute> = async (c) => {
  const { sql, now } = c.get('deps');
  const input = c.req.valid('json');
  await assertRegion(sql, input.regionId);
  const branch = await q.createBranch(sql, input, now());
  await audit(c, 'branch.create', { type: 'branch', id: branch.id }, { code: branch.code });
  return c.json(branch, 201);
};

export const updateBranch: AppRouteHandler<UpdateBranchRoute> = async (c) => {
  const { sql, now } = c.get('deps');
  const { id } = c.req.valid('param');
  const input = c.req.valid('json');
  await assertRegion(sql, input.regionId);
  const branch = await q.updateBranch(sql, id, input, now());
  await audit(c, 'branch.update', { type: 'branch', id }, { code: branch.code, fields: Object.keys(input) });
  return c.json(branch, 200);
};

export const importBranches: AppRouteHandler<ImportBranchesRoute> = async (c) => {
  const { db, now } = c.get('deps');
  const length = Number(c.req.header('content-length') ?? 0);
  if (length > MAX_CSV_BYTES) throw new ProblemError(413, 'Payload Too Large', `A branch file may have at most ${MAX_CSV_BYTES / 1024 / 1024} MB`);
  const text = await c.req.text();
  if (Buffer.byteLength(text) > MAX_CSV_BYTES)
    throw new ProblemError(413, 'Payload Too Large', `A branch file may have at most ${MAX_CSV_BYTES / 1024 / 1024} MB`);
  const parsed = branchesFromCsv(text);
  if (!parsed.ok) throw unprocessable('Some rows are not valid branches; nothing was imported', parsed.errors);
  const at = now();
  const counts = await db.transaction(async (tx) => q.upsertBranches(txSql(tx), parsed.branches, at));
  await audit(c, 'branch.import', { type: 'branch' }, { rows: parsed.branches.length, ...counts });
  return c.json({ rows: parsed.branches.length, ...counts }, 200);
};

import { audit } from '../access/audit.ts';
import Papa from 'papaparse';
import { contactFor } from '../access/mask.ts';
import { branchScopeOf } from '../access/scope.ts';
import { notFound } from '../lib/problem.ts';
import type { AppRouteHandler } from '../lib/types.ts';
import { log } from '../lib/logger.ts';
import { exportCells, exportColumns, exportCursor, listResponses as listQuery, responseDetail, surveyContext } from './explorer.queries.ts';
import type { ExportResponsesRoute, GetResponseRoute, ListResponsesRoute } from './explorer.routes.ts';

export const listResponses: AppRouteHandler<ListResponsesRoute> = async (c) => {
  const { db, sql, env } = c.get('deps');
  const query = c.req.valid('query');
  const ctx = await surveyContext(db, query.survey);
  return c.json(await listQuery(sql, query, ctx, env.COMPANY_TIME_ZONE, branchScopeOf(c)), 200);
};

export const getResponse: AppRouteHandler<GetResponseRoute> = async (c) => {
  const { sql } = c.get('deps');
  const detail = await responseDetail(sql, c.req.valid('param').id, branchScopeOf(c));
  // Outside the caller's branches looks the same as not existing.
  if (!detail) throw notFound('No such response');
  return c.json({ ...detail, customer: detail.customer && contactFor(c, detail.customer) }, 200);
};

/** Excel reads a UTF-8 file with this mark as UTF-8 (Chinese texts); without it, as the local code page. */
const BOM = '\uFEFF';
const unparseOptions = { escapeFormulae: true, newline: '\r\n' } as const;

export const exportResponses: AppRouteHandler<ExportResponsesRoute> = async (c) => {
  const { db, sql, env, now } = c.get('deps');
  const query = c.req.valid('query');
  const ctx = await surveyContext(db, query.survey);
  const columns = exportColumns(ctx, query.lang);
  const batches = exportCursor(sql, query, ctx, env.COMPANY_TIME_ZONE, branchScopeOf(c))[Symbol.asyncIterator]();
  await audit(c, 'responses.export', { type: 'survey', id: query.survey }, { filters: Object.keys(query).filter((k) => k !== 'survey') });
  const encoder = new TextEncoder();

  // Pull-based: the next batch is fetched from PostgreSQL only when the client has taken the previous one.
  const body = new ReadableStream<Uint8Array>({
    start(controller) {
      controller.enqueue(encoder.encode(BOM + Papa.unparse([columns.map((col) => col.header)], unparseOptions) + '\r\n'));
    },
    async pull(controller) {
      try {
        const next = await batches.next();
        if (next.done) {
          controller.close();
          return;
        }
        const rows = next.value.map((row) => exportCells(columns, row));
        controller.enqueue(encoder.encode(Papa.unparse(rows, unparseOptions) + '\r\n'));
      } catch (error) {
        log.error('response export failed', { error: String(error) });
        controller.error(error);
      }
    },
    async cancel() {
      await batches.return?.();
    },
  });

  const day = now().toISOString().slice(0, 10).replaceAll('-', '');
  return new Response(body, {
    status: 200,
    headers: {
      'Content-Type': 'text/csv; charset=utf-8',
      'Content-Disposition': `attachment; filename="responses-${day}.csv"`,
      'Cache-Control': 'no-store',
    },
  }) as never;
};

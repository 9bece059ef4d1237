import { audit } from '../access/audit.ts';
import Papa from 'papaparse';
import { contactFor, maskContactDeep, masksContacts } from '../access/mask.ts';
import { branchScopeOf } from '../access/scope.ts';
import { notFound } from '../lib/problem.ts';
import type { AppRouteHandler } from '../lib/types.ts';
import { log } from '../lib/logger.ts';
import { exportCells, exportColumns, exportCursor, listResponses as listQuery, responseDetail, surveyContext } from './explorer.queries.ts';
import type { ExportResponsesRoute, GetResponseRoute, ListResponsesRoute } from './explorer.routes.ts';
import { textAnalysisBacklog } from '../text/text.queries.ts';

export const listResponses: AppRouteHandler<ListResponsesRoute> = async (c) => {
  const { db, sql, readSql, env } = c.get('deps');
  const query = c.req.valid('query');
  const ctx = await surveyContext(db, query.survey);
  // Topic mentions of responses never analysed are written first, on the primary; the page is read from the replica if any.
  if (query.topic) await textAnalysisBacklog(sql);
  return c.json(await listQuery(readSql ?? sql, query, ctx, env.COMPANY_TIME_ZONE, branchScopeOf(c), masksContacts(c)), 200);
};

export const getResponse: AppRouteHandler<GetResponseRoute> = async (c) => {
  const { sql } = c.get('deps');
  const detail = await responseDetail(sql, c.req.valid('param').id, branchScopeOf(c));
  // Outside the caller's branches looks the same as not existing.
  if (!detail) throw notFound('No such response');
  if (!masksContacts(c) || !detail.customer) return c.json(detail, 200);
  // The same rule as cases: the contact fields, and the customer's contacts wherever they wrote them.
  return c.json({ ...maskContactDeep(detail, detail.customer), customer: contactFor(c, detail.customer) }, 200);
};

/** Excel reads a UTF-8 file with this mark as UTF-8 (Chinese texts); without it, as the local code page. */
const BOM = '\uFEFF';
const unparseOptions = { escapeFormulae: true, newline: '\r\n' } as const;

export const exportResponses: AppRouteHandler<ExportResponsesRoute> = async (c) => {
  const { db, sql, readSql, env, now } = c.get('deps');
  const query = c.req.valid('query');
  const ctx = await surveyContext(db, query.survey);
  const columns = exportColumns(ctx, query.lang);
  const scope = branchScopeOf(c);
  const masked = masksContacts(c);
  if (query.topic) await textAnalysisBacklog(sql);
  const batches = exportCursor(readSql ?? sql, query, ctx, env.COMPANY_TIME_ZONE, scope)[Symbol.asyncIterator]();
  let inFlight: Promise<unknown> | null = null;
  let cancelled = false;
  // Every export is in the audit log, with the filters and, for a branch manager, the branches it covers.
  await audit(
    c,
    'responses.export',
    { type: 'survey', id: query.survey },
    {
      filters: Object.keys(query).filter((k) => k !== 'survey'),
      ...(scope ? { branches: scope } : {}),
    },
  );
  const encoder = new TextEncoder();

  // Pull-based: the next batch is fetched from PostgreSQL only when the client has taken the previous one.
  const body = new ReadableStream<Uint8Array>({
    start(controller) {
      controller.enqueue(encoder.encode(BOM + Papa.unparse([columns.map((col) => col.header)], unparseOptions) + '\r\n'));
    },
    async pull(controller) {
      try {
        const nextBatch = batches.next();
        inFlight = nextBatch;
        const next = await nextBatch;
        if (cancelled) return;
        if (next.done) {
          controller.close();
          return;
        }
        // No contact column is exported; masked callers also get the customer's contacts masked inside answers.
        const rows = next.value.map((row) =>
          masked ? maskContactDeep(exportCells(columns, row), { email: row.customer_email, phone: row.customer_phone }) : exportCells(columns, row),
        );
        controller.enqueue(encoder.encode(Papa.unparse(rows, unparseOptions) + '\r\n'));
      } catch (error) {
        log.error('response export failed', { error: String(error) });
        controller.error(error);
      }
    },
    async cancel() {
      cancelled = true;
      // The stream pulls ahead, so a batch is usually on its way: the cursor takes its close only after
      // that batch has arrived (closing earlier is ignored and leaves the portal and its connection open).
      await inFlight?.catch(() => {});
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

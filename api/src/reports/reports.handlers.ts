import type { Context } from 'hono';
import { branchScopeOf } from '../access/scope.ts';
import { forbidden } from '../access/guard.ts';
import type { UserPrincipal } from '../access/principal.ts';
import { badRequest, conflict, notFound, ProblemError } from '../lib/problem.ts';
import type { AppBindings, AppRouteHandler } from '../lib/types.ts';
import { buildReport, trendFor, renderImages, FILTER_KEYS, type ReportFilters } from './digest.ts';
import { renderPdf } from './pdf.ts';
import { canSendReports, sendTestDigest } from './reports.jobs.ts';
import {
  branchesInScope,
  deliveriesOf,
  findSubscription,
  removeSubscription,
  reportableSurveys,
  regionNames,
  saveSubscription,
  surveyExists,
  type SubscriptionRow,
} from './reports.queries.ts';
import type { DeleteSubscriptionRoute, GetSubscriptionRoute, PutSubscriptionRoute, ReportPdfRoute, SendTestRoute } from './reports.routes.ts';
import type { ReportSubscription } from './reports.schemas.ts';
import { nextOccurrence } from './schedule.ts';

/** Subscriptions are a person's: the routes are account routes (API keys get 403 from the guard); this narrows the type. */
function userOf(c: Context<AppBindings>): UserPrincipal {
  const principal = c.get('principal');
  if (principal?.kind !== 'user') throw forbidden('Report subscriptions belong to signed-in users.');
  return principal;
}

function publicSubscription(row: SubscriptionRow, timeZone: string, now: Date): ReportSubscription {
  return {
    survey: row.surveyId,
    frequency: row.frequency,
    weekday: row.weekday,
    sendHour: row.sendHour,
    locale: row.locale,
    scope: row.scopeKind === 'all' ? { kind: 'all' } : { kind: row.scopeKind, codes: row.scopeCodes },
    attachPdf: row.attachPdf,
    active: row.active,
    timeZone,
    nextSendAt: row.active ? nextOccurrence(row, now, timeZone).toISOString() : null,
    updatedAt: row.updatedAt.toISOString(),
  };
}

export const getSubscription: AppRouteHandler<GetSubscriptionRoute> = async (c) => {
  const { db, env, now } = c.get('deps');
  const user = userOf(c);
  const row = await findSubscription(db, user.id);
  const visible = await branchesInScope(db, user.branchIds);
  const regionCodes = [...new Set(visible.map((b) => b.region))].sort();
  const names = await regionNames(db, regionCodes);
  const locale = c.req.header('accept-language')?.toLowerCase().startsWith('en') ? 'en' : 'zh-CN';
  const label = (name: string, nameEn: string | null) => (locale === 'en' ? (nameEn ?? name) : name);
  return c.json(
    {
      subscription: row ? publicSubscription(row, env.COMPANY_TIME_ZONE, now()) : null,
      timeZone: env.COMPANY_TIME_ZONE,
      surveys: (await reportableSurveys(db)).map((s) => ({ id: s.id, name: s.name })),
      regions: regionCodes.map((code) => {
        const n = names.find((r) => r.code === code);
        return { code, label: n ? label(n.name, n.nameEn) : code };
      }),
      branches: visible.map((b) => ({ code: b.code, label: `${b.code} ${label(b.name, b.nameEn)}`, region: b.region })),
      mailConfigured: canSendReports(c.get('deps')),
      deliveries: row
        ? (await deliveriesOf(db, row.id)).map((d) => ({
            period: d.periodKey.startsWith('test:') ? 'test' : d.periodKey,
            kind: d.kind,
            status: d.status,
            at: (d.sentAt ?? d.createdAt).toISOString(),
          }))
        : [],
    },
    200,
  );
};

export const putSubscription: AppRouteHandler<PutSubscriptionRoute> = async (c) => {
  const { db, env, now } = c.get('deps');
  const user = userOf(c);
  const input = c.req.valid('json');
  if (!(await surveyExists(db, input.survey))) throw badRequest('Unknown survey', [{ path: 'survey', message: 'no such survey' }]);
  if (input.scope.kind !== 'all') {
    // Only within what the user sees: a branch manager cannot subscribe to another branch's figures.
    const visible = await branchesInScope(db, user.branchIds);
    const known = new Set(input.scope.kind === 'branches' ? visible.map((b) => b.code) : visible.map((b) => b.region));
    const outside = input.scope.codes.filter((code) => !known.has(code));
    if (outside.length > 0) {
      throw badRequest(
        input.scope.kind === 'branches' ? 'Unknown branch' : 'Unknown region',
        outside.map((code) => ({ path: 'scope.codes', message: `"${code}" is not a ${input.scope.kind === 'branches' ? 'branch' : 'region'} you can see` })),
      );
    }
  }
  const row = await saveSubscription(db, user.id, input, now());
  return c.json(publicSubscription(row, env.COMPANY_TIME_ZONE, now()), 200);
};

export const deleteSubscription: AppRouteHandler<DeleteSubscriptionRoute> = async (c) => {
  const user = userOf(c);
  if (!(await removeSubscription(c.get('deps').db, user.id))) throw notFound('You have no report subscription.');
  return c.body(null, 204);
};

export const sendTest: AppRouteHandler<SendTestRoute> = async (c) => {
  const deps = c.get('deps');
  const user = userOf(c);
  const row = await findSubscription(deps.db, user.id);
  if (!row) throw conflict('Save a subscription first: the test uses its settings.');
  if (!canSendReports(deps)) throw conflict('E-mail is not configured on this server (SMTP_URL).');
  try {
    const digest = await sendTestDigest(deps, row, { id: user.id, email: user.email, role: user.role });
    return c.json(
      {
        sentTo: user.email,
        subject: digest.subject,
        from: digest.report.period.from ?? '',
        to: digest.report.period.to ?? '',
        attachments: digest.attachments.map((a) => a.filename),
      },
      200,
    );
  } catch (error) {
    if (error instanceof ProblemError) throw error;
    throw new ProblemError(502, 'Bad Gateway', `The mail server did not take the digest: ${String((error as Error)?.message ?? error).slice(0, 200)}`);
  }
};

export const reportPdf: AppRouteHandler<ReportPdfRoute> = async (c) => {
  const deps = c.get('deps');
  const query = c.req.valid('query');
  const filters: ReportFilters = {};
  for (const key of FILTER_KEYS) if (query[key]?.length) filters[key] = query[key] as string[];
  const locale = query.lang ?? 'zh-CN';
  const report = await buildReport(
    { db: deps.db, sql: deps.sql, readSql: deps.readSql, timeZone: deps.env.COMPANY_TIME_ZONE, now: deps.now(), publicUrl: deps.publicUrl, deps },
    {
      surveyId: query.survey,
      from: query.from ?? null,
      to: query.to ?? null,
      filters,
      locale,
      branchScope: branchScopeOf(c),
      ...trendFor(query.from ?? null, query.to ?? null),
      kind: 'report',
    },
  );
  const pdf = await renderPdf(report, renderImages(report));
  const name = `report-${query.from ?? 'all'}-${query.to ?? 'today'}.pdf`;
  return new Response(new Uint8Array(pdf), {
    status: 200,
    headers: { 'Content-Type': 'application/pdf', 'Content-Disposition': `attachment; filename="${name}"`, 'Cache-Control': 'no-store' },
  }) as never;
};

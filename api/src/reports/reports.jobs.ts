// Sending digests: on schedule (a periodic job that runs once per period across every worker process,
// queue/periodic.ts) and on demand ("send me a test now"). Each scheduled digest claims its period's row
// in report_deliveries first, so it goes out once however many workers run; mail leaves through the
// distribution domain's SMTP transport (SMTP_URL), as case notifications do.
import { randomUUID, createHash } from 'node:crypto';
import { scopedBranches } from '../access/auth.queries.ts';
import { createEmailTransport, type Transport } from '../distribution/transports.ts';
import type { Role } from '../access/permissions.ts';
import { log } from '../lib/logger.ts';
import type { AppDeps } from '../lib/types.ts';
import { startPeriodicWork, type PeriodicRunner } from '../queue/periodic.ts';
import type { PgBoss } from '../queue/queue.ts';
import { buildReport, digestHtml, digestSubject, digestText, LEAGUE_CID, renderImages, TREND_CID, type ReportData } from './digest.ts';
import { renderPdf } from './pdf.ts';
import { activeSubscriptions, claimPeriod, markDelivery, type SubscriptionRow } from './reports.queries.ts';
import { digestPeriod, dueOccurrence, localDate, trendStart } from './schedule.ts';

export const DIGEST_QUEUE = 'periodic.reports-digest';
/** How often the schedule is looked at: a digest leaves within this long after its local time. */
export const DIGEST_CHECK_SECONDS = 300;

interface Recipient {
  id: string;
  email: string;
  role: Role;
}

export interface ComposedDigest {
  report: ReportData;
  subject: string;
  html: string;
  text: string;
  attachments: { filename: string; content: Buffer; contentType: string; cid?: string }[];
}

/** The digest of a subscription for the period that ends the day before `date`, in the reader's scope. */
export async function composeDigest(deps: AppDeps, subscription: SubscriptionRow, user: Recipient, date: string): Promise<ComposedDigest> {
  const scope = await scopedBranches(deps.db, user);
  const period = digestPeriod(subscription.frequency, date);
  const codes = subscription.scopeCodes;
  const report = await buildReport(
    { db: deps.db, sql: deps.sql, readSql: deps.readSql, timeZone: deps.env.COMPANY_TIME_ZONE, now: deps.now(), publicUrl: deps.publicUrl, deps },
    {
      surveyId: subscription.surveyId,
      from: period.from,
      to: period.to,
      filters: subscription.scopeKind === 'region' ? { region: codes } : subscription.scopeKind === 'branches' ? { branch: codes } : {},
      locale: subscription.locale,
      branchScope: scope === null ? null : scope.map((b) => b.id),
      interval: subscription.frequency === 'weekly' ? 'week' : 'month',
      trendFrom: trendStart(subscription.frequency, period),
      kind: subscription.frequency,
    },
  );
  const images = renderImages(report);
  const link = `${deps.publicUrl}/account/reports`;
  const attachments: ComposedDigest['attachments'] = [
    { filename: 'trend.png', content: images.trend, contentType: 'image/png', cid: TREND_CID },
    { filename: 'league.png', content: images.league, contentType: 'image/png', cid: LEAGUE_CID },
  ];
  if (subscription.attachPdf) {
    attachments.push({ filename: `report-${period.from}-${period.to}.pdf`, content: await renderPdf(report, images), contentType: 'application/pdf' });
  }
  return { report, subject: digestSubject(report), html: digestHtml(report, link), text: digestText(report, link), attachments };
}

const transports = new Map<string, Transport>();

export const canSendReports = (deps: AppDeps) => !!deps.env.SMTP_URL;

async function sendMail(deps: AppDeps, to: string, digest: ComposedDigest, key: string) {
  const cacheKey = `${deps.env.SMTP_URL}|${deps.env.MAIL_FROM}`;
  let transport = transports.get(cacheKey);
  if (!transport) {
    transport = createEmailTransport(deps.env) ?? undefined;
    if (!transport) throw new Error('SMTP_URL is not set');
    transports.set(cacheKey, transport);
  }
  await transport.send(
    {
      channel: 'email',
      to,
      subject: digest.subject,
      text: digest.text,
      html: digest.html,
      attachments: digest.attachments,
      idempotencyKey: createHash('sha256').update(key).digest('hex'),
    },
    // The period's row is locked while this runs and marked sent after the hand-over.
    { commitPoint: async () => {} },
  );
}

/** Closes the SMTP connections (shutdown, tests). */
export async function closeReportMail() {
  const open = [...transports.values()];
  transports.clear();
  await Promise.all(open.map((t) => t.close()));
}

/** "Send me a test now": the digest of the latest complete period, to the subscriber, at once. */
export async function sendTestDigest(deps: AppDeps, subscription: SubscriptionRow, user: Recipient): Promise<ComposedDigest> {
  const today = localDate(deps.now(), deps.env.COMPANY_TIME_ZONE);
  const digest = await composeDigest(deps, subscription, user, today);
  const periodKey = `test:${randomUUID()}`;
  await deps.db.transaction(async (tx) => {
    const claim = await claimPeriod(tx, subscription.id, periodKey, user.email, 'test', deps.now());
    if (!claim) return;
    try {
      await sendMail(deps, user.email, digest, `report:${subscription.id}:${periodKey}`);
      await markDelivery(tx, claim.id, { sent: true, at: deps.now(), attempts: 1 });
    } catch (error) {
      await markDelivery(tx, claim.id, { sent: false, error: String((error as Error)?.message ?? error), attempts: 1 });
      throw error;
    }
  });
  return digest;
}

/**
 * Sends every digest whose local time has come (and is less than a day ago), once per subscription and
 * period. A failed send stays claimable for the next run, up to three attempts.
 */
export async function runDueDigests(deps: AppDeps): Promise<{ sent: number; failed: number }> {
  if (!canSendReports(deps)) return { sent: 0, failed: 0 };
  const timeZone = deps.env.COMPANY_TIME_ZONE;
  let sent = 0;
  let failed = 0;
  for (const { subscription, user } of await activeSubscriptions(deps.db)) {
    const now = deps.now();
    const due = dueOccurrence(subscription, now, timeZone);
    if (!due) continue;
    const outcome = await deps.db.transaction(async (tx) => {
      const claim = await claimPeriod(tx, subscription.id, due.periodKey, user.email, 'scheduled', now);
      if (!claim) return null;
      const attempts = claim.attempts + 1;
      try {
        const digest = await composeDigest(deps, subscription, user, due.date);
        await sendMail(deps, user.email, digest, `report:${subscription.id}:${due.periodKey}`);
        await markDelivery(tx, claim.id, { sent: true, at: deps.now(), attempts });
        return 'sent' as const;
      } catch (error) {
        log.warn('report digest not sent', { subscription: subscription.id, period: due.periodKey, attempt: attempts });
        await markDelivery(tx, claim.id, { sent: false, error: String((error as Error)?.message ?? error), attempts });
        return 'failed' as const;
      }
    });
    if (outcome === 'sent') sent++;
    else if (outcome === 'failed') failed++;
  }
  return { sent, failed };
}

/** The digest schedule as periodic work: looked at every five minutes, by one worker process at a time. */
export async function startReportJobs(deps: AppDeps, boss: PgBoss, options: { pollMs?: number; everySeconds?: number } = {}): Promise<() => Promise<void>> {
  const runner: PeriodicRunner = await startPeriodicWork(
    boss,
    [{ queue: DIGEST_QUEUE, everySeconds: options.everySeconds ?? DIGEST_CHECK_SECONDS, run: () => runDueDigests(deps), expireSeconds: 1800 }],
    { pollMs: options.pollMs ?? 2000 },
  );
  return async () => {
    await runner.stop();
    await closeReportMail();
  };
}

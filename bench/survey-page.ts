// npm run bench:page — the customer's survey pages on a first visit, as a phone on a slow network sees
// them: the invitation link (/s/<token>) and an open link's page (/s/o/<slug>, a scanned QR code), in
// Chromium (tests/e2e/support/chromium.ts) through the DevTools protocol with the "Slow 4G" network profile
// and 4× CPU slowdown. Reports bytes transferred (encoded, as on the wire), requests, scripts and first
// contentful paint, checks that each page is usable without JavaScript, that responses are compressed and
// /_app/immutable assets cached for good, and fails over the limits. `--runs=N` visits per page (3).
// Needs the web build (`npm run build`): the server is the one process of `npm start` (api/src/main.ts).
import '../tests/support/loopback-only.ts';
import os from 'node:os';
import { chromium, type Browser } from '@playwright/test';
import { DEMO_PASSWORD, DEMO_USERS } from '../api/src/demo/seed.ts';
import globalSetup from '../tests/e2e/support/global-setup.ts';
import { resolveChromium } from '../tests/e2e/support/chromium.ts';
import { rentalPayload, tokenFromLink } from '../tests/support/rentals.ts';
import { writeResultsSection } from './results.ts';

const LIMIT_BYTES = 60 * 1024;
const LIMIT_FCP_MS = 1500;
/** Chromium DevTools' "Slow 4G" preset (throughput in bytes/s, latency in ms added to each request). */
const SLOW_4G = { offline: false, downloadThroughput: ((1.6 * 1000 * 1000) / 8) * 0.9, uploadThroughput: ((750 * 1000) / 8) * 0.9, latency: 150 * 3.75 };
const CPU_SLOWDOWN = 4;
const RUNS = Number(process.argv.find((a) => a.startsWith('--runs='))?.split('=')[1] ?? 3);
const log = (m: string) => process.stdout.write(`${new Date().toISOString().slice(11, 19)} ${m}\n`);

interface Visit {
  bytes: number;
  requests: number;
  /** responses Chromium ran as scripts */
  scripts: number;
  fcp: number;
  uncompressed: string[];
  notImmutable: string[];
  /** encoded bytes per path */
  byPath: Map<string, number>;
}

async function signIn(baseUrl: string): Promise<string> {
  const admin = DEMO_USERS.find((u) => u.role === 'admin')!;
  const login = await fetch(`${baseUrl}/api/auth/login`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ email: admin.email, password: DEMO_PASSWORD }),
  });
  const cookie = login.headers
    .getSetCookie()
    .map((c) => c.split(';')[0])
    .find((c) => c.startsWith('rs_session='));
  if (!cookie) throw new Error(`sign-in failed: ${login.status}`);
  return cookie;
}

const staffHeaders = (cookie: string) => ({ 'content-type': 'application/json', cookie, 'x-requested-with': 'bench' });

/** A new rental's invitation: the path of its survey link. */
async function invitationPath(baseUrl: string, cookie: string, n: number): Promise<string> {
  const created = await fetch(`${baseUrl}/api/rentals`, {
    method: 'POST',
    headers: staffHeaders(cookie),
    body: JSON.stringify(
      rentalPayload(n, {
        externalId: `RA-PAGE-${n}`,
        pickedUpAt: new Date(Date.now() - 3 * 86_400_000).toISOString(),
        returnedAt: new Date(Date.now() - 3 * 3_600_000).toISOString(),
        customer: { externalId: `C-PAGE-${n}`, name: '陈先生', email: `page.${n}@example.com`, preferredLanguage: 'zh-CN' },
      }),
    ),
  });
  if (created.status !== 201) throw new Error(`rental not created: ${created.status} ${await created.text()}`);
  return `/s/${tokenFromLink(((await created.json()) as { invitation: { link: string } }).invitation.link)}`;
}

/** An open link (QR code) of the post-rental survey at the rentals' branch: the path of its page. */
async function openLinkPath(baseUrl: string, cookie: string): Promise<string> {
  const surveys = (await (await fetch(`${baseUrl}/api/surveys`, { headers: staffHeaders(cookie) })).json()) as { id: string; kind: string }[];
  const survey = surveys.find((s) => s.kind === 'post_rental');
  if (!survey) throw new Error('no post-rental survey');
  const created = await fetch(`${baseUrl}/api/open-links`, {
    method: 'POST',
    headers: staffHeaders(cookie),
    body: JSON.stringify({ surveyId: survey.id, branch: 'SH01', tag: 'bench' }),
  });
  if (created.status !== 201) throw new Error(`open link not created: ${created.status} ${await created.text()}`);
  return new URL(((await created.json()) as { url: string }).url).pathname;
}

/** One first visit (a fresh context: nothing cached) on the slow network and CPU. */
async function visit(browser: Browser, baseUrl: string, pagePath: string): Promise<Visit> {
  const context = await browser.newContext({ viewport: { width: 390, height: 844 }, isMobile: true, hasTouch: true, locale: 'zh-CN' });
  try {
    const page = await context.newPage();
    const cdp = await context.newCDPSession(page);
    await cdp.send('Network.enable');
    await cdp.send('Network.setCacheDisabled', { cacheDisabled: false });
    await cdp.send('Network.emulateNetworkConditions', SLOW_4G);
    await cdp.send('Emulation.setCPUThrottlingRate', { rate: CPU_SLOWDOWN });
    const result: Visit = { bytes: 0, requests: 0, scripts: 0, fcp: 0, uncompressed: [], notImmutable: [], byPath: new Map() };
    const urls = new Map<string, string>();
    cdp.on('Network.requestWillBeSent', (e) => {
      result.requests++;
      urls.set(e.requestId, e.request.url);
    });
    cdp.on('Network.responseReceived', (e) => {
      const headers = Object.fromEntries(Object.entries(e.response.headers).map(([k, v]) => [k.toLowerCase(), String(v)]));
      const path = new URL(e.response.url).pathname;
      const type = headers['content-type'] ?? '';
      const length = Number(headers['content-length'] ?? Number.POSITIVE_INFINITY);
      if (e.type === 'Script') result.scripts++;
      if (/text\/|javascript|json/.test(type) && !headers['content-encoding'] && length >= 1024) result.uncompressed.push(path);
      if (path.startsWith('/_app/immutable/') && !/immutable/.test(headers['cache-control'] ?? '')) result.notImmutable.push(path);
    });
    cdp.on('Network.loadingFinished', (e) => {
      result.bytes += e.encodedDataLength;
      const path = new URL(urls.get(e.requestId) ?? baseUrl).pathname.replace(/^\/s\/(o\/)?[^/]+/, (_, open) => (open ? '/s/o/<slug>' : '/s/<token>'));
      result.byPath.set(path, (result.byPath.get(path) ?? 0) + e.encodedDataLength);
    });
    await page.goto(`${baseUrl}${pagePath}`, { waitUntil: 'load' });
    await page.waitForLoadState('networkidle');
    result.fcp = await page.evaluate(() => performance.getEntriesByName('first-contentful-paint')[0]?.startTime ?? Number.NaN);
    return result;
  } finally {
    await context.close();
  }
}

/** Before its JavaScript arrives (or without it): the questions of the first page, in a form that posts. */
async function questionsWithoutJavaScript(browser: Browser, url: string): Promise<number> {
  const noJs = await browser.newContext({ javaScriptEnabled: false, viewport: { width: 390, height: 844 } });
  try {
    const plain = await noJs.newPage();
    await plain.goto(url);
    return await plain.locator('form[method="POST"] [data-question]').count();
  } finally {
    await noJs.close();
  }
}

interface PageFigures {
  name: string;
  visits: Visit[];
  questions: number;
}

const median = (values: number[]) => [...values].sort((a, b) => a - b)[Math.floor(values.length / 2)];
const kib = (b: number) => `${(b / 1024).toFixed(1)} KiB`;

async function main() {
  const loadStart = os.loadavg()[0];
  const teardown = await globalSetup();
  const baseUrl = process.env.E2E_BASE_URL!;
  const launch = await resolveChromium();
  const browser = await chromium.launch({ executablePath: launch.executablePath, args: launch.args, env: { ...process.env, ...launch.env } });
  try {
    const cookie = await signIn(baseUrl);
    const openPath = await openLinkPath(baseUrl, cookie);
    const pages: PageFigures[] = [];
    for (const [name, nextPath] of [
      ['/s/<token>', (run: number) => invitationPath(baseUrl, cookie, Date.now() * 10 + run)],
      ['/s/o/<slug>', async () => openPath],
    ] as const) {
      const visits: Visit[] = [];
      for (let run = 0; run < RUNS; run++) {
        const v = await visit(browser, baseUrl, await nextPath(run));
        visits.push(v);
        log(`${name} visit ${run + 1}: ${v.bytes} bytes in ${v.requests} requests (${v.scripts} scripts), FCP ${v.fcp.toFixed(0)} ms`);
      }
      for (const [path, n] of [...visits[0].byPath.entries()].sort((a, b) => b[1] - a[1])) log(`${String(n).padStart(8)} ${path}`);
      pages.push({ name, visits, questions: await questionsWithoutJavaScript(browser, `${baseUrl}${await nextPath(9)}`) });
    }

    const failures: string[] = [];
    const rows: string[] = [];
    const details: string[] = [];
    for (const { name, visits, questions } of pages) {
      const bytes = median(visits.map((v) => v.bytes));
      const fcp = median(visits.map((v) => v.fcp));
      if (bytes >= LIMIT_BYTES) failures.push(`${name}: transferred ${bytes} bytes, limit ${LIMIT_BYTES}`);
      if (!(fcp < LIMIT_FCP_MS)) failures.push(`${name}: first contentful paint ${fcp.toFixed(0)} ms, limit ${LIMIT_FCP_MS} ms`);
      if (questions === 0) failures.push(`${name}: without JavaScript the page shows no question in a form`);
      rows.push(
        `| ${name} | ${kib(bytes)} (${bytes.toLocaleString('en')} bytes) | ${median(visits.map((v) => v.requests))} | ${median(visits.map((v) => v.scripts))} | ${fcp.toFixed(0)} ms | ${questions} questions | ${bytes < LIMIT_BYTES && fcp < LIMIT_FCP_MS && questions > 0 ? 'met' : 'NOT met'} |`,
      );
      const largest = [...visits[0].byPath.entries()].sort((a, b) => b[1] - a[1]);
      details.push(
        `\`${name}\`, each visit: ${visits.map((v) => `${kib(v.bytes)} / ${v.requests} requests / FCP ${v.fcp.toFixed(0)} ms`).join('; ')}. ` +
          `Responses of the first visit: ${largest.map(([path, n]) => `${path.replace(/^\/_app\/immutable\//, '')} ${kib(n)}`).join(', ')}.`,
      );
    }
    const uncompressed = [...new Set(pages.flatMap((p) => p.visits.flatMap((v) => v.uncompressed)))];
    const notImmutable = [...new Set(pages.flatMap((p) => p.visits.flatMap((v) => v.notImmutable)))];
    if (uncompressed.length > 0) failures.push(`sent uncompressed: ${uncompressed.join(', ')}`);
    if (notImmutable.length > 0) failures.push(`not cached as immutable: ${notImmutable.join(', ')}`);
    await writeResultsSection(
      'page',
      [
        '## Survey page, first visit (`npm run bench:page`)',
        '',
        `Run ${new Date().toISOString().slice(0, 16).replace('T', ' ')} UTC on ${os.cpus().length} CPUs, load average ${loadStart.toFixed(1)} at the start and ${os.loadavg()[0].toFixed(1)} at the end (the machine is shared; the CPU slowdown comes on top).`,
        `Chromium (${launch.source}) through the DevTools protocol, a fresh context per visit (nothing cached), 390×844 phone viewport, network "Slow 4G"`,
        `(${((SLOW_4G.downloadThroughput * 8) / 1e6).toFixed(2)} Mbit/s down, ${SLOW_4G.latency} ms latency per request) and ${CPU_SLOWDOWN}× CPU slowdown; the server is \`npm start\`'s one process on loopback.`,
        `Bytes are Chromium's encoded data length of every response (headers and compressed bodies, as on the wire). Median of ${RUNS} visits per page;`,
        `limits: under ${kib(LIMIT_BYTES)} transferred, first contentful paint under ${LIMIT_FCP_MS} ms, the first page's questions in a form that posts without JavaScript.`,
        '',
        '| Page | Transferred | Requests | Scripts | First contentful paint | Without JavaScript | |',
        '|---|---:|---:|---:|---:|---|---|',
        ...rows,
        '',
        ...details.map((d) => `${d}\n`),
        `Compression: ${uncompressed.length === 0 ? 'every text response of 1 KiB or more came brotli- or gzip-encoded' : `NOT compressed: ${uncompressed.join(', ')}`};`,
        `/_app/immutable assets: ${notImmutable.length === 0 ? 'all sent with Cache-Control: public, max-age=31536000, immutable' : `NOT immutable: ${notImmutable.join(', ')}`}.`,
        ...(failures.length > 0 ? ['', `Over the limits: ${failures.join('; ')}.`] : []),
      ].join('\n'),
    );
    if (failures.length > 0) {
      console.error(`over the limits: ${failures.join('; ')}`);
      process.exitCode = 1;
    }
  } finally {
    await browser.close();
    await teardown();
  }
}

main().catch((error) => {
  console.error(error);
  process.exit(1);
});

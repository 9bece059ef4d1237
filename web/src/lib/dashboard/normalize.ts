// Readers for the analytics endpoints' answers: they pick the documented fields and tolerate a missing
// optional block, so a page shows "–" for what the server does not send instead of failing.
import type {
  CompareGroup,
  Comparison,
  Driver,
  DriversResult,
  Funnel,
  FunnelRow,
  LoyaltyCell,
  LoyaltyResult,
  LoyaltyWindow,
  MetricDifference,
  ProblemsResult,
  Quadrant,
  ThemeGroup,
  ThemesResult,
} from './types';

type Obj = Record<string, unknown>;
const isObj = (v: unknown): v is Obj => typeof v === 'object' && v !== null && !Array.isArray(v);
const num = (v: unknown): number | null => (typeof v === 'number' && Number.isFinite(v) ? v : null);
const str = (v: unknown, fallback = ''): string => (typeof v === 'string' ? v : typeof v === 'number' ? String(v) : fallback);
const arr = (v: unknown): unknown[] => (Array.isArray(v) ? v : []);
const pair = (v: unknown): [number, number] | null =>
  Array.isArray(v) && v.length === 2 && num(v[0]) !== null && num(v[1]) !== null ? [v[0] as number, v[1] as number] : null;
const first = (o: Obj, ...keys: string[]) => {
  for (const k of keys) if (o[k] !== undefined) return o[k];
  return undefined;
};

export function readDifference(v: unknown): MetricDifference | null {
  if (!isObj(v)) return null;
  const p = num(first(v, 'p', 'pValue'));
  const pAdjusted = num(first(v, 'pHolm', 'pAdjusted', 'holm', 'pAdj'));
  const difference = num(first(v, 'difference', 'diff', 'delta'));
  const flag = first(v, 'significant');
  const significant = typeof flag === 'boolean' ? flag : (pAdjusted ?? p) !== null && (pAdjusted ?? p)! < 0.05;
  return { difference, p, pAdjusted, significant };
}

function compareGroup(v: unknown): CompareGroup | null {
  if (!isObj(v)) return null;
  return {
    key: str(v.key),
    label: str(v.label, str(v.key)),
    nps: readDifference(v.nps),
    csat: readDifference(v.csat),
    csi: readDifference(v.csi),
    pp100: readDifference(v.pp100),
  };
}

export function readComparison(raw: unknown): Comparison {
  const o = isObj(raw) ? raw : {};
  const previous = isObj(o.previous) && typeof o.previous.from === 'string' && typeof o.previous.to === 'string' ? { from: o.previous.from, to: o.previous.to } : null;
  return {
    against: o.against === 'previous' ? 'previous' : 'rest',
    previous,
    groups: arr(o.groups).map(compareGroup).filter((g): g is CompareGroup => g !== null),
    total: compareGroup(o.total),
  };
}

const QUADRANTS: Quadrant[] = ['concentrate_here', 'keep_up', 'low_priority', 'possible_overkill'];

export function readDrivers(raw: unknown): DriversResult {
  const o = isObj(raw) ? raw : {};
  const drivers: Driver[] = arr(o.drivers).filter(isObj).map((d) => ({
    id: str(d.id),
    label: str(d.label, str(d.id)),
    weight: num(d.weight),
    share: num(d.share),
    sign: num(d.sign),
    r: num(d.r),
    beta: num(d.beta),
    performance: num(d.performance),
    quadrant: QUADRANTS.includes(d.quadrant as Quadrant) ? (d.quadrant as Quadrant) : null,
  }));
  return {
    method: str(o.method),
    outcome: str(o.outcome),
    n: num(o.n) ?? 0,
    r2: num(o.r2),
    shareCut: num(o.shareCut) ?? (drivers.length > 0 ? 100 / drivers.length : null),
    performanceCut: num(o.performanceCut),
    responsesWithOutcome: num(o.responsesWithOutcome),
    drivers,
    warnings: arr(o.warnings).map((w) => (isObj(w) ? str(first(w, 'code', 'message')) : str(w))).filter(Boolean),
  };
}

const FUNNEL_STEPS = ['eligible', 'invited', 'sent', 'failed', 'bounced', 'opened', 'started', 'finished', 'optedOut'];

function funnelRow(v: unknown): FunnelRow | null {
  if (!isObj(v)) return null;
  // Counts may sit on the row or in a `counts`/`funnel` block.
  const counts = isObj(v.counts) ? v.counts : isObj(v.funnel) ? v.funnel : v;
  const sent = num(counts.sent);
  const finished = num(counts.finished);
  const given = num(first(v, 'responseRate', 'response_rate'));
  const responseRate = given ?? (sent && finished !== null ? (100 * finished) / sent : null);
  return {
    key: str(v.key, 'total'),
    label: str(v.label, str(v.key)),
    sent,
    finished,
    // A rate given as a fraction (0…1) is shown in percent like every other rate.
    responseRate: given !== null && given <= 1 && sent && finished !== null && Math.abs(given - finished / sent) < 1e-9 ? given * 100 : responseRate,
    steps: FUNNEL_STEPS.filter((s) => num(counts[s]) !== null).map((s) => ({ id: s, count: num(counts[s])! })),
  };
}

export function readFunnel(raw: unknown): Funnel {
  const o = isObj(raw) ? raw : {};
  return {
    groups: arr(o.groups).map(funnelRow).filter((g): g is FunnelRow => g !== null),
    total: funnelRow(o.total),
  };
}

export function readProblems(raw: unknown): ProblemsResult {
  const o = isObj(raw) ? raw : {};
  // Either { problems: [...] } or { total: { problems: [...] }, groups: [...] }.
  const block = Array.isArray(o.problems) ? o : isObj(o.total) ? o.total : o;
  const n = num(first(block, 'n', 'responses'));
  const rows = arr(first(block, 'problems', 'items')).filter(isObj);
  const total = rows.reduce((s, r) => s + (num(r.count) ?? 0), 0);
  let running = 0;
  const problems = rows
    .map((r) => ({
      id: str(first(r, 'id', 'key')),
      label: str(r.label, str(first(r, 'id', 'key'))),
      count: num(r.count) ?? 0,
      share: num(r.share) ?? (total > 0 ? (100 * (num(r.count) ?? 0)) / total : null),
      incidence: num(first(r, 'incidence', 'rate')) ?? (n ? (100 * (num(r.count) ?? 0)) / n : null),
      cumulative: num(first(r, 'cumulative', 'cumulativeShare')),
    }))
    .sort((a, b) => b.count - a.count);
  for (const p of problems) {
    running += p.share ?? 0;
    if (p.cumulative === null) p.cumulative = total > 0 ? running : null;
  }
  return { n, problems };
}

function themeTerms(v: unknown, kind: 'word' | 'phrase') {
  return arr(v)
    .filter(isObj)
    .map((t) => ({
      term: str(first(t, 'term', 'phrase', 'word', 'text')),
      kind,
      count: num(first(t, 'count', 'n', 'frequency')) ?? 0,
      share: num(t.share),
      examples: arr(first(t, 'examples', 'comments')).map((e) => (isObj(e) ? str(first(e, 'text', 'comment')) : str(e))).filter(Boolean),
    }));
}

/** A set of themes: `{ comments, words, phrases }` (or a plain list of terms). */
function themeGroup(key: string, label: string, v: unknown, suppressed = false): ThemeGroup | null {
  if (Array.isArray(v)) return { key, label, n: null, suppressed, terms: themeTerms(v, 'word') };
  if (!isObj(v)) return null;
  const terms = [...themeTerms(first(v, 'words', 'terms', 'themes'), 'word'), ...themeTerms(v.phrases, 'phrase')].sort((a, b) => b.count - a.count);
  return { key, label: str(v.label, label), n: num(first(v, 'comments', 'n')), suppressed, terms };
}

/** Themes of all comments and of each NPS category (what detractors talk about first). */
export function readThemes(raw: unknown): ThemesResult {
  const o = isObj(raw) ? raw : {};
  const total = isObj(o.total) ? o.total : o;
  const suppressed = total.suppressed === true;
  const groups: ThemeGroup[] = [];
  const byCategory = first(total, 'byCategory', 'byNpsCategory');
  for (const category of ['detractor', 'passive', 'promoter']) {
    const g = isObj(byCategory) ? themeGroup(category, category, byCategory[category], suppressed) : null;
    if (g) groups.push(g);
  }
  const all = themeGroup('all', str(total.label, 'all'), first(total, 'themes', 'all'), suppressed);
  if (all) groups.push(all);
  return { groups, truncated: o.truncated === true };
}

function loyaltyCells(v: unknown): LoyaltyCell[] {
  const rows = isObj(v) ? Object.entries(v).map(([key, cell]) => (isObj(cell) ? { key, ...cell } : null)) : arr(v);
  return rows.filter(isObj).map((c) => loyaltyCell(c));
}

function loyaltyCell(c: Obj, fallbackKey = ''): LoyaltyCell {
  return {
    key: str(first(c, 'key', 'category', 'band'), fallbackKey),
    label: str(c.label, str(first(c, 'key', 'category', 'band'), fallbackKey)),
    suppressed: c.suppressed === true,
    n: num(first(c, 'n', 'customers', 'responses')) ?? 0,
    returned: num(first(c, 'returned', 'repeat', 'rentedAgain')),
    rate: num(first(c, 'rate', 'share', 'repeatRate')),
    ci95: pair(c.ci95),
  };
}

export function readLoyalty(raw: unknown): LoyaltyResult {
  const o = isObj(raw) ? raw : {};
  const windows: LoyaltyWindow[] = arr(o.windows)
    .filter(isObj)
    .map((w) => {
      const d = first(w, 'difference', 'promoterMinusDetractor');
      return {
        days: num(first(w, 'days', 'window')) ?? 0,
        overall: isObj(w.overall) ? loyaltyCell(w.overall, 'all') : null,
        byNps: loyaltyCells(first(w, 'byNps', 'byNpsCategory', 'nps')),
        byCsi: loyaltyCells(first(w, 'byCsi', 'byCsiBand', 'csi')),
        difference: isObj(d)
          ? { value: num(first(d, 'value', 'difference', 'diff')), ci95: pair(d.ci95), p: num(d.p), significant: typeof d.significant === 'boolean' ? d.significant : null }
          : num(d) !== null
            ? { value: num(d), ci95: null, p: null, significant: null }
            : null,
      };
    });
  return { windows };
}

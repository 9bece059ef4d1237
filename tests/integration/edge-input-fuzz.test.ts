// Every operation of the OpenAPI document, as an administrator, with a NUL (and, in JSON bodies, a lone
// UTF-16 surrogate) put into each string parameter and body field in turn, the rest of the request valid:
// every such request is refused with a 4xx problem (never a 5xx), and the CSV export answers 400 before
// it starts a 200.
import { randomUUID } from 'node:crypto';
import { beforeAll, describe, expect, it } from 'vitest';
import { recordToRental, suggestMapping } from '../../api/src/distribution/import.mapping.ts';
import { createSurvey, publishSurvey } from '../../api/src/surveys/versions.queries.ts';
import { findTemplate } from '../../survey-templates/index.ts';
import { rentalPayload } from '../support/rentals.ts';
import { createTestApp } from '../support/test-db.ts';

type Schema = {
  type?: string | string[];
  format?: string;
  enum?: unknown[];
  const?: unknown;
  properties?: Record<string, Schema>;
  required?: string[];
  items?: Schema;
  anyOf?: Schema[];
  oneOf?: Schema[];
  allOf?: Schema[];
  $ref?: string;
  minimum?: number;
  exclusiveMinimum?: number;
  minItems?: number;
  minLength?: number;
  pattern?: string;
  default?: unknown;
  example?: unknown;
  additionalProperties?: Schema | boolean;
};
type Parameter = { name: string; in: 'query' | 'path' | 'header' | 'cookie'; required?: boolean; schema: Schema };
type Operation = { parameters?: Parameter[]; requestBody?: { content: Record<string, { schema: Schema }> } };

let t: Awaited<ReturnType<typeof createTestApp>>;
let doc: { paths: Record<string, Record<string, Operation>>; components?: { schemas?: Record<string, Schema> } };
let surveyId: string;

const BAD = { nul: 'a\u0000b', surrogate: 'a\ud800b' } as const;

beforeAll(async () => {
  t = await createTestApp();
  const survey = await createSurvey(t.db, { name: 'Post-rental', kind: 'post_rental', definition: findTemplate('post-rental')!.definition });
  await publishSurvey(t.db, survey.id);
  surveyId = survey.id;
  expect((await t.request('/api/rentals', { method: 'POST', json: rentalPayload(1) })).status).toBe(201);
  const res = await t.request('/api/openapi.json');
  expect(res.status).toBe(200);
  doc = await res.json();
});

function resolve(schema: Schema): Schema {
  if (schema.$ref) return resolve(doc.components!.schemas![schema.$ref.replace('#/components/schemas/', '')]);
  if (schema.allOf)
    return resolve(schema.allOf.reduce<Schema>((all, s) => ({ ...all, ...resolve(s), properties: { ...all.properties, ...resolve(s).properties } }), {}));
  return schema;
}

/** A value the schema accepts, as plain as possible. */
/** Sample strings of fields that take any text. */
const freeSamples = new Set<string>();

// Valid values the schema alone does not tell (refinements and pipes that OpenAPI cannot express).
const KNOWN: Record<string, string> = { email: 'someone@example.test', token: 'A'.repeat(43), drivers: 'dimensions' };
// Optional body fields a refinement needs one of (a new branch names its region by `region` or `regionId`).
const NEEDED: Record<string, string[]> = { 'POST /api/branches': ['region'] };

function sample(input: Schema, name = ''): unknown {
  const s = resolve(input);
  if (name in KNOWN && (s.type === 'string' || s.anyOf || s.oneOf)) return KNOWN[name];
  if (typeof (s.example ?? s.default) === 'string' && isFreeText(s)) freeSamples.add((s.example ?? s.default) as string);
  if (s.example !== undefined) return s.example;
  if (s.default !== undefined) return s.default;
  if (s.const !== undefined) return s.const;
  if (s.enum) return s.enum[0];
  const variants = s.anyOf ?? s.oneOf;
  if (variants) return sample(variants.find((v) => resolve(v).type !== 'null') ?? variants[0], name);
  const type = Array.isArray(s.type) ? s.type.find((x) => x !== 'null') : s.type;
  switch (type) {
    case 'object': {
      const out: Record<string, unknown> = {};
      for (const key of s.required ?? []) out[key] = sample(s.properties?.[key] ?? {}, key);
      return out;
    }
    case 'array':
      return Array.from({ length: s.minItems ?? 0 }, () => sample(s.items ?? {}, name));
    case 'integer':
    case 'number':
      return s.minimum ?? (s.exclusiveMinimum !== undefined ? s.exclusiveMinimum + 1 : 1);
    case 'boolean':
      return false;
    case 'string':
      if (s.format === 'uuid') return /survey/i.test(name) ? surveyId : randomUUID();
      if (s.format === 'email') return 'someone@example.test';
      if (s.format === 'date-time') return '2026-05-01T10:00:00+08:00';
      if (s.format === 'date') return '2026-05-01';
      if (s.format === 'uri') return 'https://example.test/hook';
      if (s.pattern) return 'p'.repeat(Math.max(1, s.minLength ?? 1));
      freeSamples.add('x'.repeat(Math.max(1, s.minLength ?? 1)));
      return 'x'.repeat(Math.max(1, s.minLength ?? 1));
    default:
      return 'x';
  }
}

/** Every path to a string in a sample body, with the schema of the string's place. */
function stringPaths(value: unknown, at: (string | number)[] = []): (string | number)[][] {
  if (typeof value === 'string') return [at];
  if (Array.isArray(value)) return value.flatMap((v, i) => stringPaths(v, [...at, i]));
  if (value && typeof value === 'object') return Object.entries(value).flatMap(([k, v]) => stringPaths(v, [...at, k]));
  return [];
}

function withValue(value: unknown, path: (string | number)[], replacement: string): unknown {
  if (path.length === 0) return replacement;
  const copy = Array.isArray(value) ? [...value] : { ...(value as Record<string, unknown>) };
  (copy as Record<string | number, unknown>)[path[0]] = withValue((value as Record<string | number, unknown>)[path[0]], path.slice(1), replacement);
  return copy;
}

function isFreeText(schema: Schema): boolean {
  const s = resolve(schema);
  if (s.type === 'array') return isFreeText(s.items ?? {});
  const variants = s.anyOf ?? s.oneOf;
  if (variants) return variants.some(isFreeText);
  return s.type === 'string' && !s.format && !s.enum && !s.pattern && s.const === undefined;
}

/** Where a string could be put: optional string (or string-array) query parameters get one too. */
function isStringish(schema: Schema): boolean {
  const s = resolve(schema);
  const types = [s.type, ...(s.anyOf ?? s.oneOf ?? []).map((v) => resolve(v).type)].flat();
  return types.includes('string') || (types.includes('array') && isStringish(s.items ?? {}));
}

interface Probe {
  label: string;
  /** The field takes any text (no format, choice or pattern): the refusal must name it. */
  freeText: boolean;
  field: string;
  method: string;
  url: string;
  body?: string;
  contentType?: string;
}

function probesOf(path: string, method: string, op: Operation): Probe[] {
  const params = op.parameters ?? [];
  const pathValues = Object.fromEntries(params.filter((p) => p.in === 'path').map((p) => [p.name, String(sample(p.schema, p.name))]));
  const queryValues = Object.fromEntries(params.filter((p) => p.in === 'query' && p.required).map((p) => [p.name, String(sample(p.schema, p.name))]));
  const urlOf = (pathOver: Record<string, string> = {}, queryOver: Record<string, string> = {}) => {
    const p = path.replace(/\{(\w+)\}/g, (_, name) => encodeURIComponent({ ...pathValues, ...pathOver }[name]));
    const q = new URLSearchParams({ ...queryValues, ...queryOver }).toString();
    return `${p}${q ? `?${q}` : ''}`;
  };
  const jsonSchema = op.requestBody?.content['application/json']?.schema;
  const name = `${method.toUpperCase()} ${path}`;
  const body = jsonSchema ? sample(jsonSchema) : undefined;
  for (const key of NEEDED[name] ?? []) (body as Record<string, unknown>)[key] = sample(resolve(jsonSchema!).properties![key], key);
  const validBody = body === undefined ? {} : { body: JSON.stringify(body), contentType: 'application/json' };
  const probes: Probe[] = [];
  // A lone surrogate has no UTF-8 form, so it cannot travel in a URL: parameters get the NUL.
  for (const p of params) {
    if (p.in === 'path' && isStringish(p.schema))
      probes.push({ label: `${name} path ${p.name}`, freeText: isFreeText(p.schema), field: p.name, method, url: urlOf({ [p.name]: BAD.nul }), ...validBody });
    if (p.in === 'query' && isStringish(p.schema))
      probes.push({
        label: `${name} query ${p.name}`,
        freeText: isFreeText(p.schema) && !(p.name in KNOWN),
        field: p.name,
        method,
        url: urlOf({}, { [p.name]: BAD.nul }),
        ...validBody,
      });
  }
  if (body !== undefined) {
    for (const at of stringPaths(body)) {
      const original = at.reduce<unknown>((v, key) => (v as Record<string | number, unknown>)[key], body) as string;
      for (const [kind, bad] of Object.entries(BAD)) {
        const text = JSON.stringify(withValue(body, at, bad));
        probes.push({
          label: `${name} body ${at.join('.') || '(root)'} ${kind}`,
          freeText: freeSamples.has(original),
          field: at.join('.'),
          method,
          url: urlOf(),
          body: text,
          contentType: 'application/json',
        });
      }
    }
  }
  const csv = op.requestBody?.content['text/csv'];
  if (csv) {
    // A NUL in the header row (data rows are checked row by row: below).
    probes.push({
      label: `${name} CSV header nul`,
      freeText: false,
      field: '',
      method,
      url: urlOf(),
      body: `rental,finished\u0000_at,q_nps\nRA-T-1,2026-05-01 10:00,9\n`,
      contentType: 'text/csv',
    });
  }
  return probes;
}

describe('text that cannot be stored, everywhere the API takes text', () => {
  it('refuses a NUL or lone surrogate in every string parameter and body field with 4xx, never 5xx', async () => {
    const probes = Object.entries(doc.paths).flatMap(([path, ops]) => Object.entries(ops).flatMap(([method, op]) => probesOf(path, method, op)));
    // The document covers the routes that gave 500 before.
    for (const expected of [
      'POST /api/rentals body externalId',
      'GET /api/analytics/summary query branch',
      'GET /api/responses query q',
      'GET /api/responses/export.csv query q',
      'GET /api/audit query action',
      'POST /api/auth/login body email',
      'POST /api/surveys body name',
    ]) {
      expect(
        probes.some((p) => p.label.startsWith(expected)),
        expected,
      ).toBe(true);
    }
    expect(probes.length).toBeGreaterThan(200);
    const failures: string[] = [];
    const freeText = probes.filter((p) => p.freeText);
    let refusedByRule = 0;
    for (const probe of probes) {
      const res = await t.request(probe.url, {
        method: probe.method.toUpperCase(),
        ...(probe.body !== undefined ? { body: probe.body, headers: { 'content-type': probe.contentType! } } : {}),
      });
      const text = await res.text();
      if (res.status < 400 || res.status >= 500) failures.push(`${probe.label}: ${res.status} ${text.slice(0, 160)}`);
      else if (!(res.headers.get('content-type') ?? '').startsWith('application/problem+json')) failures.push(`${probe.label}: ${res.status} not a problem`);
      else if (probe.freeText) {
        // Where any text is allowed, the refusal names that field (not some other fault of the request).
        const paths = ((JSON.parse(text).errors ?? []) as { path: string }[]).map((e) => e.path);
        if (!paths.some((p) => p === probe.field || p.startsWith(`${probe.field}.`)))
          failures.push(`${probe.label}: refused for another reason ${text.slice(0, 200)}`);
        else if (text.includes('unstorable_text')) refusedByRule++;
      }
    }
    expect(failures).toEqual([]);
    expect(freeText.length).toBeGreaterThan(50);
    expect(refusedByRule).toBeGreaterThan(freeText.length * 0.9);
  });

  it('answers the CSV export 400 before it starts the file', async () => {
    for (const name of ['q', 'branch', 'problem']) {
      const res = await t.request(`/api/responses/export.csv?survey=${surveyId}&${name}=${encodeURIComponent(BAD.nul)}`);
      expect(res.status, name).toBe(400);
      const problem = await res.json();
      expect(problem.errors).toEqual([expect.objectContaining({ path: expect.stringMatching(new RegExp(`^${name}(\\.0)?$`)), code: 'unstorable_text' })]);
    }
    // The same export without the NUL is a whole file.
    const ok = await t.request(`/api/responses/export.csv?survey=${surveyId}&q=good`);
    expect(ok.status).toBe(200);
    expect(await ok.text()).toMatch(/^\uFEFF?.+\r?\n/);
  });

  it('names the field of a NUL in a rental and stores nothing of it', async () => {
    const payload = rentalPayload(2);
    const res = await t.request('/api/rentals', { method: 'POST', json: { ...payload, customer: { ...payload.customer, name: 'Li\u0000 Wei' } } });
    expect(res.status).toBe(400);
    expect((await res.json()).errors).toEqual([expect.objectContaining({ path: 'customer.name', code: 'unstorable_text' })]);
    const [{ n }] = await t.sql`select count(*)::int as n from rentals where external_id = ${payload.externalId}`;
    expect(n).toBe(0);
  });
});

describe('a NUL in a CSV cell', () => {
  it('refuses a branch or region file with it (422, as other bad rows), naming row and column, and writes nothing', async () => {
    for (const [url, file, table] of [
      ['/api/branches/import', 'code,name,city,region\nNUL1,虹桥\u0000店,上海,EAST\n', 'branches'],
      ['/api/regions/import', 'code,name\nNUL1,East\u0000\n', 'regions'],
    ] as const) {
      const res = await t.request(url, { method: 'POST', body: file, headers: { 'content-type': 'text/csv' } });
      expect(res.status, url).toBe(422); // as every bad row of these files
      expect(res.headers.get('content-type')).toMatch(/^application\/problem\+json/);
      const errors = (await res.json()).errors as { path: string; row: number; code: string }[];
      expect(errors, url).toEqual([expect.objectContaining({ path: 'row 2.name', row: 2, code: 'unstorable_text' })]);
      const [{ n }] = await t.sql`select count(*)::int as n from ${t.sql(table)} where code = 'NUL1'`;
      expect(n).toBe(0);
    }
  });

  it('rejects that rental row, naming the column, before anything of it is quoted or stored', () => {
    const header = ['external_id', 'customer_id', 'email', 'pickup_branch', 'vehicle_class', 'picked_up_at', 'returned_at', 'booking_channel'];
    const mapping = suggestMapping(header);
    const record = ['R\u0000001', 'C01', 'c01@example.com', 'SH01', 'SUV', '2026-05-01 09:00', '2026-05-02 18:00', 'app'];
    const converted = recordToRental(record, mapping, { timeZone: 'Asia/Shanghai' });
    expect(converted).toEqual({
      problem: {
        fields: ['externalId'],
        problems: [{ field: 'externalId', code: 'unstorableText', params: {} }],
        reason: expect.stringContaining('NUL'),
        externalId: null,
      },
    });
    const clean = recordToRental(
      record.map((cell) => cell.replace('\u0000', '')),
      mapping,
      { timeZone: 'Asia/Shanghai' },
    );
    expect('row' in clean && clean.row.externalId).toBe('R001');
  });

  it('rejects that response row by its row number and imports the others', async () => {
    const header = 'rental,finished_at,q_nps,q_csat,q_problems';
    const rows = ['RA-T-1,2026-05-01 10:00,9,5,no_problem', 'RA-T-X\u0000,2026-05-01 10:00,8,4,no_problem'];
    const res = await t.request(`/api/responses/import?survey=${surveyId}&dryRun=true`, {
      method: 'POST',
      body: [header, ...rows].join('\n'),
      headers: { 'content-type': 'text/csv' },
    });
    const result = await res.json();
    expect(res.status, JSON.stringify(result)).toBe(200);
    expect(result.rejected).toBe(1);
    expect(result.errors).toEqual([{ row: 3, errors: [expect.objectContaining({ path: 'rental' })] }]);
  });
});

import { OpenAPIHono, createRoute, z } from '@hono/zod-openapi';
const multi = z.preprocess((v) => (v === undefined ? undefined : (Array.isArray(v) ? v : [v]).flatMap((s) => String(s).split(',')).filter(Boolean)), z.array(z.enum(['A', 'B', 'C'])).optional()).openapi({ param: { style: 'form', explode: true } });
const q = z.object({ tier: multi, region: z.array(z.string()).optional() });
const route = createRoute({ method: 'get', path: '/x', request: { query: q }, responses: { 200: { description: 'ok' } } });
const app = new OpenAPIHono({ defaultHook: (r, c) => { if (!r.success) return c.json(r.error.issues, 400); } });
app.openapi(route, (c) => c.json(c.req.valid('query')) as any);
app.doc31('/doc', { openapi: '3.1.0', info: { title: 'x', version: '1' } });
for (const u of ['/x?tier=A&tier=B', '/x?tier=A,C', '/x?tier=D', '/x', '/x?region=a', '/x?region=a&region=b']) { const r = await app.request(u); console.log(u, r.status, await r.text()); }
console.log(JSON.stringify((await (await app.request('/doc')).json()).paths['/x'].get.parameters));
import postgres from 'postgres';
const sql = postgres('postgres://postgres@127.0.0.1:5432/rs_exp', { max: 1 });
const ids = ['a', 'b'];
const frag = sql`and x = any(${ids})`;
console.log(await sql`select 1 as one, ${[1,2]}::int[] as arr, array[count(*)::int, 2] as counts, array[1.5::float8] as f where 'a' = any(${ids}::text[]) ${frag}`.catch(e => e.message));
console.log(await sql`select x from unnest(${ids}::text[]) x where x = any(${ids}) ${sql`and true`}`);
await sql.end();

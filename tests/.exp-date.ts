import postgres from 'postgres';
const sql = postgres('postgres://postgres@127.0.0.1:5432/rs_exp', { max: 1, onnotice: () => {} });
await sql`create temp table tt (a timestamptz, b text)`;
try { await sql`insert into tt ${sql([{ a: new Date(), b: 'x' }])}`; console.log('ok helper'); } catch (e) { console.log('helper', (e as Error).message); }
try { await sql`insert into tt (a, b) values (${new Date()}, 'x')`; console.log('ok plain'); } catch (e) { console.log('plain', (e as Error).message); }
const arr = Array.from({ length: 3 }, () => ({ a: new Date(), b: 'y' }));
try { await sql`insert into tt ${sql(arr)}`; console.log('ok multi'); } catch (e) { console.log('multi', (e as Error).message); }
await sql.end();

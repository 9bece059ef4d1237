import { drizzle } from 'drizzle-orm/postgres-js';
import postgres from 'postgres';
import * as schema from './schema.ts';

export type Database = ReturnType<typeof createDatabase>['db'];
export type Sql = postgres.Sql;

export function createDatabase(url: string, options: { max?: number } = {}) {
  const sql = postgres(url, {
    max: options.max ?? 10,
    onnotice: () => {},
    // Timestamps come back as Date, numerics as numbers where the schema says so.
    connection: { application_name: 'rental-satisfaction' },
  });
  const db = drizzle(sql, { schema });
  return { db, sql };
}

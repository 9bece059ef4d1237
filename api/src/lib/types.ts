import type { RouteConfig, RouteHandler } from '@hono/zod-openapi';
import type { Database, Sql } from '../db/client.ts';
import type { Env } from '../env.ts';
import type { Principal } from '../access/principal.ts';

/** Everything a handler needs from the outside world; tests build their own. */
export interface AppDeps {
  db: Database;
  sql: Sql;
  /**
   * Reads that may lag a little (analytics, exports): a replica's pool when DATABASE_READ_URL is set, else
   * absent and the primary serves them (`deps.readSql ?? deps.sql`). Never written to.
   */
  readSql?: Sql;
  /**
   * One connection of its own for asking whether the database answers (db/client.ts createDatabaseProbe):
   * a busy main pool must not look like a dead database. Absent in tests; the main pool asks then.
   */
  probeSql?: Sql;
  env: Env;
  /** Base URL for links sent to customers, without a trailing slash. */
  publicUrl: string;
  /** The current time; tests replace it to move the clock. */
  now: () => Date;
}

export interface AppBindings {
  Variables: {
    deps: AppDeps;
    /** Who is calling (a signed-in user or an API key); null when no valid credentials came. */
    principal: Principal | null;
  };
}

export type AppRouteHandler<R extends RouteConfig> = RouteHandler<R, AppBindings>;

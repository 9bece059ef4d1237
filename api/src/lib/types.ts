import type { OpenAPIHono, RouteConfig, RouteHandler } from '@hono/zod-openapi';
import type { Database, Sql } from '../db/client.ts';
import type { Env } from '../env.ts';
import type { Principal } from '../access/principal.ts';

/** Everything a handler needs from the outside world; tests build their own. */
export interface AppDeps {
  db: Database;
  sql: Sql;
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
    /** Branch ids the caller may see (null = all); the same as branchScopeOf(c) in access/scope.ts. */
    branchScope: string[] | null;
  };
}

export type AppOpenAPI = OpenAPIHono<AppBindings>;
export type AppRouteHandler<R extends RouteConfig> = RouteHandler<R, AppBindings>;

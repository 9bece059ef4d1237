import type { TestProject } from 'vitest/node';
import { createTemplateDatabase, dropDatabases, startTestServer } from './postgres.ts';

declare module 'vitest' {
  export interface ProvidedContext {
    pg: { adminUrl: string; template: string; kind: 'embedded' | 'external' };
  }
}

export default async function setup(project: TestProject) {
  const server = await startTestServer();
  const template = await createTemplateDatabase(server.adminUrl);
  project.provide('pg', { adminUrl: server.adminUrl, template, kind: server.kind });
  console.log(`integration tests use ${server.kind === 'embedded' ? 'an embedded PostgreSQL' : 'DATABASE_URL'}`);
  return async () => {
    await dropDatabases(server.adminUrl, [template]).catch(() => {});
    await server.stop();
  };
}

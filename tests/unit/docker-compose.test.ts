// There is no Docker engine here: this keeps docker-compose.yml and the Dockerfile in step with the app's
// configuration by reading them.
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { parse } from 'yaml';
import { envSchema, parseEnv } from '../../api/src/env.ts';

const root = new URL('../../', import.meta.url);
const compose = parse(readFileSync(new URL('docker-compose.yml', root), 'utf8'));
const dockerfile = readFileSync(new URL('Dockerfile', root), 'utf8');

describe('docker-compose.yml', () => {
  it('has a database and an app service with health checks and a named volume', () => {
    expect(Object.keys(compose.services).sort()).toEqual(['app', 'db']);
    expect(compose.services.db.healthcheck.test.join(' ')).toContain('pg_isready');
    expect(compose.services.app.healthcheck.test.join(' ')).toContain('/api/health');
    const [volume] = compose.services.db.volumes[0].split(':');
    expect(Object.keys(compose.volumes)).toContain(volume);
    expect(compose.services.app.depends_on.db.condition).toBe('service_healthy');
  });

  it('wires DATABASE_URL to the db service with its own credentials and database', () => {
    const db = compose.services.db.environment;
    const url = new URL(compose.services.app.environment.DATABASE_URL);
    expect(url.hostname).toBe('db');
    expect(url.port).toBe('5432');
    expect(url.username).toBe(db.POSTGRES_USER);
    expect(url.password).toBe(db.POSTGRES_PASSWORD);
    expect(url.pathname).toBe(`/${db.POSTGRES_DB}`);
  });

  it('sets only variables the app knows, with values its env schema accepts', () => {
    const env = compose.services.app.environment as Record<string, string>;
    const known = Object.keys(envSchema.shape);
    for (const name of Object.keys(env)) expect(known).toContain(name);
    const parsed = parseEnv(env);
    expect(parsed.DATABASE_URL).toBe(env.DATABASE_URL);
    // The published port is the one the app listens on.
    const [hostPort, containerPort] = compose.services.app.ports[0].split(':');
    expect(Number(containerPort)).toBe(parsed.PORT);
    expect(hostPort).toBe(containerPort);
  });

  it('builds from the Dockerfile, which starts the same entry point as npm start', () => {
    expect(compose.services.app.build).toBe('.');
    const pkg = JSON.parse(readFileSync(new URL('package.json', root), 'utf8'));
    expect(pkg.scripts.start).toContain('api/src/main.ts');
    expect(dockerfile).toMatch(/CMD \["node", "--import", "tsx", "api\/src\/main\.ts"\]/);
    expect(dockerfile).toContain('EXPOSE 3000');
  });
});

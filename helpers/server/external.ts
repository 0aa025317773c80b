import type { ProvisionedServer } from './types.js';

/** Uses the server DATABASE_URL points at; this run creates and drops only its own databases there. */
export function externalServer(databaseUrl: string): ProvisionedServer {
  const url = new URL(databaseUrl);
  return {
    adminUrl: databaseUrl,
    kind: 'external',
    where: `${url.hostname}:${url.port || '5432'}`,
    async stop() {},
  };
}

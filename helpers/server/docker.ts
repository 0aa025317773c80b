import fs from 'node:fs';
import http from 'node:http';
import { requestedMajor } from './pg-major.js';
import { type ProvisionedServer, type ProvisionOptions, SERVER_SETTINGS } from './types.js';

/** True when a Docker engine answers its ping within a second. */
export async function dockerEngineAnswers(): Promise<boolean> {
  const host = process.env.DOCKER_HOST;
  let target: http.RequestOptions;
  if (host?.startsWith('tcp://') || host?.startsWith('http://')) {
    const url = new URL(host.replace(/^tcp:/, 'http:'));
    target = { host: url.hostname, port: url.port || 2375 };
  } else {
    const socketPath = host?.startsWith('unix://') ? host.slice('unix://'.length) : '/var/run/docker.sock';
    if (!fs.existsSync(socketPath)) return false;
    target = { socketPath };
  }
  return new Promise((resolve) => {
    const request = http.get({ ...target, path: '/_ping', timeout: 1000 }, (response) => {
      response.resume();
      resolve(response.statusCode === 200);
    });
    request.on('timeout', () => request.destroy());
    request.on('error', () => resolve(false));
  });
}

/** PostgreSQL 18 in a throwaway container; Testcontainers is imported only on this path. */
export async function dockerServer(options: ProvisionOptions): Promise<ProvisionedServer> {
  const { PostgreSqlContainer } = await import('@testcontainers/postgresql');
  const settings = { ...SERVER_SETTINGS, ...(options.durability === 'fast' ? { fsync: 'off' } : {}) };
  const container = await new PostgreSqlContainer(`postgres:${requestedMajor() ?? 18}`)
    .withCommand(['postgres', ...Object.entries(settings).flatMap(([k, v]) => ['-c', `${k}=${v}`])])
    .start();
  return {
    adminUrl: container.getConnectionUri(),
    kind: 'docker',
    where: `${container.getHost()}:${container.getPort()}`,
    async stop() {
      await container.stop();
    },
  };
}

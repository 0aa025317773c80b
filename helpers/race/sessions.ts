import type pg from 'pg';

/** Something that opens a dedicated server session (SpecDatabase.connect). */
export interface SessionSource {
  connect(): Promise<pg.Client>;
}

/** A dedicated connection and its backend pid, so pg_locks / pg_stat_activity can be read for it. */
export interface Session {
  readonly client: pg.Client;
  readonly pid: number;
}

/** Opens `count` separate server sessions at once (each a backend process of its own). */
export async function openSessions(source: SessionSource, count: number): Promise<Session[]> {
  return Promise.all(
    Array.from({ length: count }, async () => {
      const client = await source.connect();
      const { rows } = await client.query<{ pid: number }>('SELECT pg_backend_pid() AS pid');
      return { client, pid: rows[0]!.pid };
    }),
  );
}

export async function closeSessions(sessions: Session[]): Promise<void> {
  await Promise.all(sessions.map((s) => s.client.end().catch(() => undefined)));
}

/** A running PostgreSQL server the suite can administer (create and drop databases). */
export interface ProvisionedServer {
  /** Connection string with rights to CREATE DATABASE; its database is the maintenance database. */
  adminUrl: string;
  /** How the server was obtained: external (DATABASE_URL), docker or embedded. */
  kind: 'external' | 'docker' | 'embedded';
  /** Human-readable location, e.g. "127.0.0.1:54321". */
  where: string;
  /** Stops and removes what this run started; a no-op for an external server. */
  stop(): Promise<void>;
}

export interface ProvisionOptions {
  /**
   * 'fast' turns off fsync for the throwaway servers the specs use; 'durable' keeps
   * PostgreSQL's defaults so the lab's throughput figures mean what they say.
   */
  durability: 'fast' | 'durable';
  /** Receives server log lines; defaults to discarding them. */
  log?: (line: string) => void;
}

/** Settings every server we start gets; the race specs open hundreds of connections. */
export const SERVER_SETTINGS: Record<string, string> = {
  max_connections: '400',
  timezone: 'UTC',
};

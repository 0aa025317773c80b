import type { RunRoles } from '../db/run-roles.js';
import type { CheckBounds } from '../safety/session-settings.js';
import type { SqlLoadFailure } from '../sql/load.js';

/** What the global setup hands to every spec worker (vitest provide/inject). */
export interface SuiteContext {
  /** Superuser connection: only the harness's own privileged steps use it, never to run solution code. */
  adminUrl: string;
  /** The solution's role (owns the databases) and the checks' role (a member of it). */
  roles: RunRoles;
  bounds: CheckBounds;
  templateDatabase: string;
  sqlDir: string;
  sqlFiles: string[];
  /** Statements (or files) of the solution that did not apply; the rest did, as with psql. */
  sqlLoadFailures: SqlLoadFailure[];
  /** The load stopped at a statement that outlived its time bound. */
  sqlLoadTimedOut: boolean;
  serverKind: 'external' | 'docker' | 'embedded';
  serverVersion: string;
  serverVersionNum: number;
}

declare module 'vitest' {
  export interface ProvidedContext {
    suite: SuiteContext;
  }
}

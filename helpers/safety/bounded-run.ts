import { spawn } from 'node:child_process';

export interface BoundedRunResult {
  /** stdout and stderr, interleaved, when the run was started with `capture` (else empty). */
  output: string;
  status: number | null;
  signal: NodeJS.Signals | null;
  timedOut: boolean;
  /** Processes of the run's group were still alive when its command ended (they were killed). */
  stragglers: boolean;
  seconds: number;
}

/** "90s", "20m", "1h" or a number of seconds; undefined when the text is none of those. */
export function parseDuration(text: string): number | undefined {
  const match = /^(\d+(?:\.\d+)?)\s*(s|m|h)?$/.exec(text.trim());
  if (!match) return undefined;
  const factor = { s: 1, m: 60, h: 3600 }[(match[2] ?? 's') as 's' | 'm' | 'h'];
  const seconds = Number(match[1]) * factor;
  return seconds > 0 ? seconds : undefined;
}

function signalGroup(pid: number, signal: NodeJS.Signals): void {
  try {
    process.kill(-pid, signal); // the whole process group: workers and servers the run started
  } catch {
    // the group is gone
  }
}

/**
 * Runs a command in a process group of its own, bounded by `seconds`: at the bound the group gets
 * SIGTERM, and SIGKILL `graceSeconds` later, so no process of the run outlives it.
 * Ctrl-C on the caller ends the group as well.
 */
export function runWithin(
  command: string,
  args: string[],
  env: NodeJS.ProcessEnv,
  seconds: number,
  { graceSeconds = 15, capture = false, cwd }: { graceSeconds?: number; capture?: boolean; cwd?: string } = {},
): Promise<BoundedRunResult> {
  const started = Date.now();
  return new Promise((resolve) => {
    const child = spawn(command, args, { env, cwd, stdio: capture ? ['ignore', 'pipe', 'pipe'] : 'inherit', detached: true });
    const chunks: Buffer[] = [];
    child.stdout?.on('data', (c: Buffer) => chunks.push(c));
    child.stderr?.on('data', (c: Buffer) => chunks.push(c));
    let timedOut = false;
    let killTimer: NodeJS.Timeout | undefined;
    const stopGroup = () => {
      if (child.pid === undefined) return;
      signalGroup(child.pid, 'SIGTERM');
      killTimer = setTimeout(() => signalGroup(child.pid!, 'SIGKILL'), graceSeconds * 1000);
    };
    const bound = setTimeout(() => {
      timedOut = true;
      stopGroup();
    }, seconds * 1000);
    const onInterrupt = () => stopGroup();
    process.once('SIGINT', onInterrupt);
    process.once('SIGTERM', onInterrupt);
    child.on('close', (status, signal) => {
      clearTimeout(bound);
      // Stragglers of the group (a worker that ignored SIGTERM) are ended before the result is final.
      let stragglers = false;
      if (child.pid !== undefined) {
        try {
          process.kill(-child.pid, 0);
          stragglers = true;
        } catch {
          stragglers = false;
        }
        signalGroup(child.pid, 'SIGKILL');
      }
      clearTimeout(killTimer);
      process.off('SIGINT', onInterrupt);
      process.off('SIGTERM', onInterrupt);
      const output = Buffer.concat(chunks).toString('utf8');
      resolve({ output, status, signal, timedOut, stragglers, seconds: (Date.now() - started) / 1000 });
    });
  });
}

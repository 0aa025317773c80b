import { spawn } from 'node:child_process';
import { readdirSync, readFileSync } from 'node:fs';

export interface BoundedRunResult {
  /** stdout and stderr, interleaved, when the run was started with `capture` (else empty). */
  output: string;
  status: number | null;
  signal: NodeJS.Signals | null;
  timedOut: boolean;
  /** Processes of the run's group still alive when its command ended (they were killed): pid and command. */
  stragglers: string[];
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

/** Live (not zombie) processes of a process group, as "pid command", from /proc (Linux). */
function groupMembers(pgid: number): string[] {
  const members: string[] = [];
  for (const entry of readdirSync('/proc').filter((e) => /^\d+$/.test(e))) {
    try {
      const stat = readFileSync(`/proc/${entry}/stat`, 'utf8');
      const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
      if (Number(fields[2]) !== pgid || fields[0] === 'Z') continue;
      members.push(`${entry} ${readFileSync(`/proc/${entry}/cmdline`, 'utf8').split('\0').join(' ').trim().slice(0, 120)}`);
    } catch {
      // ended meanwhile
    }
  }
  return members;
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
    child.on('close', async (status, signal) => {
      clearTimeout(bound);
      // Stragglers of the group (a worker that ignored SIGTERM) are ended, and gone, before the result is final.
      const stragglers = child.pid === undefined ? [] : groupMembers(child.pid);
      if (child.pid !== undefined) {
        signalGroup(child.pid, 'SIGKILL');
        for (let i = 0; i < 50 && groupMembers(child.pid).length > 0; i++) await new Promise((r) => setTimeout(r, 100));
      }
      clearTimeout(killTimer);
      process.off('SIGINT', onInterrupt);
      process.off('SIGTERM', onInterrupt);
      const output = Buffer.concat(chunks).toString('utf8');
      resolve({ output, status, signal, timedOut, stragglers, seconds: (Date.now() - started) / 1000 });
    });
  });
}

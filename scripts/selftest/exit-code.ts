/**
 * npm run selftest:exit-code
 * Proves the exit code tells the truth on the server paths this machine has: embedded PostgreSQL
 * and DATABASE_URL (pointed at a second embedded server this script starts). Each case runs the
 * real command and compares its exit status and reports with what it must be. Exits 1 when any
 * case lies, so CI fails if the suite's exit code ever stops meaning what it says.
 */
import { spawn } from 'node:child_process';
import { existsSync, readFileSync } from 'node:fs';
import fs from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { embeddedServer } from '../../helpers/server/embedded.js';
import { cliCommand } from '../cli.js';

interface Case {
  name: string;
  command: string[];
  env: Record<string, string>;
  /** 'zero' or 'nonzero' exit status. */
  exit: 'zero' | 'nonzero';
  /** What reports/certification.json must say afterwards (undefined: not checked). */
  certified?: boolean;
  /** junit.xml must show at least one failure or error. */
  junitRed?: boolean;
}

const QUICK_SPEC = 'spec/task1-schema/constraints.spec.ts';

function readJson(file: string): { certified?: boolean } | undefined {
  return existsSync(file) ? (JSON.parse(readFileSync(file, 'utf8')) as { certified?: boolean }) : undefined;
}

function junitIsRed(file: string): boolean {
  if (!existsSync(file)) return false;
  const head = readFileSync(file, 'utf8').match(/<testsuites[^>]*failures="(\d+)"[^>]*errors="(\d+)"/);
  return !!head && (Number(head[1]) > 0 || Number(head[2]) > 0);
}

/**
 * Runs the case's command without blocking this process: the DATABASE_URL server is this process's
 * child, and its log pipe must keep being read, or its backends block writing to it and the case hangs.
 */
function exitStatus(command: string[], env: NodeJS.ProcessEnv): Promise<number> {
  return new Promise((resolve) => {
    const child = spawn(command[0]!, command.slice(1), { env, stdio: ['ignore', 'ignore', 'ignore'] });
    child.on('error', () => resolve(-1));
    child.on('close', (code) => resolve(code ?? -1));
  });
}

async function runCase(c: Case): Promise<string[]> {
  const started = Date.now();
  const status = await exitStatus(c.command, { ...process.env, ...c.env });
  const problems: string[] = [];
  if (c.exit === 'zero' ? status !== 0 : status === 0) problems.push(`exit status ${status}, want ${c.exit}`);
  const cert = readJson('reports/certification.json');
  if (c.certified !== undefined && cert?.certified !== c.certified)
    problems.push(`certification.json certified=${cert?.certified}, want ${c.certified}`);
  if (c.junitRed && !junitIsRed('reports/junit.xml')) problems.push('junit.xml reads green');
  const seconds = ((Date.now() - started) / 1000).toFixed(1);
  console.log(
    `${problems.length ? '✗' : '✓'} ${c.name}: exit ${status} (${seconds} s)${problems.length ? ` — ${problems.join('; ')}` : ''}`,
  );
  return problems;
}

async function main(): Promise<void> {
  const work = await fs.mkdtemp(path.join(os.tmpdir(), 'arcane-exit-selftest-'));
  // The reference plus one file that breaks exactly one contract rule: one failing check among passing ones.
  const oneDefect = path.join(work, 'one-defect');
  await fs.cp('sql', oneDefect, { recursive: true });
  await fs.writeFile(path.join(oneDefect, '99_defect.sql'), 'ALTER TABLE products DROP CONSTRAINT products_sku_key;\n');
  const missing = path.join(work, 'no-such-folder');
  const vitest = (...args: string[]) => ['npx', 'vitest', 'run', ...args];
  const certify = (...args: string[]) => ['npx', 'tsx', 'scripts/certify.ts', ...args];

  const external = await embeddedServer({ durability: 'fast' });
  // Stopped from outside (CI's stage bound, Ctrl-C): the second server must not outlive this script.
  for (const signal of ['SIGINT', 'SIGTERM'] as const)
    process.once(signal, () => {
      void external.stop().finally(() => process.exit(130));
    });
  const paths: { label: string; env: Record<string, string> }[] = [
    { label: 'embedded', env: { ARCANE_NO_DOCKER: '1' } },
    { label: 'DATABASE_URL', env: { DATABASE_URL: external.adminUrl } },
  ];
  const problems: string[] = [];
  try {
    for (const server of paths) {
      const cases: Case[] = [
        {
          name: 'the starter fails',
          command: vitest(),
          env: { SQL_DIR: 'fixtures/starter' },
          exit: 'nonzero',
          certified: false,
          junitRed: true,
        },
        {
          name: 'one defect among passing checks fails',
          command: vitest(QUICK_SPEC),
          env: { SQL_DIR: oneDefect },
          exit: 'nonzero',
          junitRed: true,
        },
        {
          name: 'the reference passes one file (a partial run, not certified)',
          command: vitest(QUICK_SPEC),
          env: { SQL_DIR: 'sql' },
          exit: 'zero',
          certified: false,
        },
        {
          name: 'a missing SQL_DIR is an error, not an empty solution',
          command: vitest(),
          env: { SQL_DIR: missing },
          exit: 'nonzero',
          certified: false,
          junitRed: true,
        },
        {
          name: 'certify on the starter fails',
          command: certify('fixtures/starter'),
          env: {},
          exit: 'nonzero',
          certified: false,
        },
      ];
      for (const c of cases) {
        for (const p of await runCase({ ...c, name: `[${server.label}] ${c.name}`, env: { ...server.env, ...c.env } }))
          problems.push(`[${server.label}] ${c.name}: ${p}`);
      }
    }
  } finally {
    await external.stop();
    await fs.rm(work, { recursive: true, force: true });
  }
  if (problems.length) {
    console.error(`\nThe exit code lies in ${problems.length} case(s):\n${problems.map((p) => `  - ${p}`).join('\n')}`);
    process.exit(1);
  }
  console.log('\nThe exit code tells the truth in every case.');
}

cliCommand(
  'selftest:exit-code',
  'Proves the exit code tells the truth: runs failing and passing suites on the embedded and a DATABASE_URL server.',
).parse();
await main();

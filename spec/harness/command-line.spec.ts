/**
 * Harness — every `npm run <command>` of ours (the npm scripts running a file of scripts/, and the
 * dev aids run with tsx) reads its command line before it does anything: `--help` prints a usage
 * and exits 0, an unknown option or a bad value is one line on stderr and exit code 2, and neither
 * starts a server, creates a folder or touches reports/. Each command runs as npm would run it, in
 * a child process with a private TMPDIR (an embedded server's folders would appear there) and a
 * scratch INIT_CWD (where `init` and the other path-taking commands resolve what the user typed).
 */
import { spawn } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, statSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import pLimit from 'p-limit';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';

const ROOT = path.resolve(import.meta.dirname, '../..');
const scripts = (JSON.parse(readFileSync(path.join(ROOT, 'package.json'), 'utf8')) as { scripts: Record<string, string> })
  .scripts;
/** name → the shell command npm runs: every npm script that runs a file of ours, and the dev aids. */
const COMMANDS: Record<string, string> = {
  ...Object.fromEntries(Object.entries(scripts).filter(([, command]) => /\bscripts\//.test(command))),
  'selftest/synthesis-identity': 'tsx scripts/selftest/synthesis-identity.ts',
  'bench/profile-refresh': 'tsx scripts/bench/profile-refresh.ts',
  'bench/profile-synthesis': 'tsx scripts/bench/profile-synthesis.ts',
};
/** Values refused while parsing, each named in the one-line message. */
const BAD_VALUES: { name: string; args: string[]; named: string }[] = [
  { name: 'lab', args: ['--orders', '999'], named: "'999'" },
  { name: 'lab', args: ['--orders'], named: '--orders' },
  { name: 'bench', args: ['--order', '20000'], named: '--order' },
  { name: 'bench', args: ['--only', 'refresh,speed'], named: 'refresh,speed' },
  { name: 'certify', args: ['--repeat', '1'], named: "'1'" },
  { name: 'refresh', args: ['--every', '0.5s'], named: '0.5s' },
  { name: 'alternatives', args: ['--pg', '14'], named: "'14'" },
  { name: 'init', args: ['one', 'two'], named: 'too many arguments' },
];
/** A command still running after this long has started real work: it is stopped and fails. */
const BOUND_MS = 45_000;

interface Run {
  status: number | null;
  stdout: string;
  stderr: string;
}

const scratch = mkdtempSync(path.join(os.tmpdir(), 'arcane-cli-spec-'));
const tmp = path.join(scratch, 'tmp');
const typedFrom = path.join(scratch, 'shell');
const env: NodeJS.ProcessEnv = {
  ...process.env,
  PATH: `${path.join(ROOT, 'node_modules', '.bin')}${path.delimiter}${process.env.PATH}`,
  TMPDIR: tmp,
  INIT_CWD: typedFrom,
  NO_COLOR: '1',
  // A command that ignored its command line fails fast on a server that refuses connections
  // (a lab of a million orders is not started on the suite's server, nor on this machine).
  DATABASE_URL: 'postgres://arcane@127.0.0.1:9/refused',
  ARCANE_NO_DOCKER: '1',
};
delete env.FORCE_COLOR;

function run(command: string, args: string[]): Promise<Run> {
  return new Promise((resolve) => {
    // As npm runs a script: `sh -c '<command> "$@"'` from the project root, the arguments appended;
    // tsx's loader in the node process itself (the tsx command starts a second one: twice the start-up).
    const inProcess = command.replace(/(^|\s)tsx\s/, '$1node --import tsx ');
    const child = spawn('sh', ['-c', `${inProcess} "$@"`, 'sh', ...args], { cwd: ROOT, env, detached: true });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (chunk: Buffer) => {
      stdout += chunk.toString();
    });
    child.stderr.on('data', (chunk: Buffer) => {
      stderr += chunk.toString();
    });
    const timer = setTimeout(() => {
      stderr += `\n[spec] still running after ${BOUND_MS / 1000} s: stopped`;
      process.kill(-child.pid!, 'SIGTERM');
      setTimeout(() => child.exitCode === null && process.kill(-child.pid!, 'SIGKILL'), 5000).unref();
    }, BOUND_MS);
    child.on('close', (status) => {
      clearTimeout(timer);
      resolve({ status, stdout, stderr });
    });
  });
}

/** Every file under the folders a command could write to, with its size and modification time. */
function tree(dir: string): string[] {
  if (!existsSync(dir)) return [];
  return readdirSync(dir, { recursive: true, encoding: 'utf8' })
    .map((entry) => {
      const s = statSync(path.join(dir, entry));
      return `${entry} ${s.size} ${s.mtimeMs}`;
    })
    .sort();
}
const WATCHED = ['reports', 'dist', path.join('..', 'arcane-solution')].map((d) => path.join(ROOT, d));
const snapshot = () => WATCHED.map((d) => ({ dir: d, files: tree(d) }));

const results = new Map<string, Run>();
const key = (name: string, args: string[]) => `${name} ${args.join(' ')}`;
let before: ReturnType<typeof snapshot>;

beforeAll(async () => {
  before = snapshot();
  rmSync(tmp, { recursive: true, force: true });
  for (const d of [tmp, typedFrom]) mkdirSync(d, { recursive: true });
  // Two cores: a few children at a time overlap their start-up (tsx, imports) without starving the suite.
  const limit = pLimit(4);
  const jobs = [
    ...Object.keys(COMMANDS).flatMap((name) => [
      { name, args: ['--help'] },
      { name, args: ['--no-such-option'] },
    ]),
    ...BAD_VALUES,
  ];
  await Promise.all(
    jobs.map(({ name, args }) => limit(async () => results.set(key(name, args), await run(COMMANDS[name]!, args)))),
  );
}, 240_000);

afterAll(() => rmSync(scratch, { recursive: true, force: true }));

describe('harness · every command reads its command line before any work', () => {
  it('knows the commands: the npm scripts running a file of ours', () => {
    expect(Object.keys(COMMANDS)).toEqual(expect.arrayContaining(['lab', 'bench', 'certify', 'init', 'hostile']));
  });

  it.each(Object.keys(COMMANDS))('%s --help prints a usage on stdout and exits 0', (name) => {
    const r = results.get(key(name, ['--help']))!;
    expect({ status: r.status, stderr: r.stderr }).toEqual({ status: 0, stderr: '' });
    expect(r.stdout).toContain('Usage');
  });

  it.each(Object.keys(COMMANDS))('%s --no-such-option: one line on stderr naming it, exit 2, no stack', (name) => {
    const r = results.get(key(name, ['--no-such-option']))!;
    expect(r.status).toBe(2);
    expect(r.stderr.trim().split('\n')).toEqual([expect.stringContaining('--no-such-option')]);
    expect(r.stderr).toContain('--help');
    expect(r.stderr).not.toMatch(/^\s+at /m);
  });

  it.each(BAD_VALUES)('$name $args: refused (exit 2) in one line naming $named', ({ name, args, named }) => {
    const r = results.get(key(name, args))!;
    expect(r.status).toBe(2);
    expect(r.stderr.trim().split('\n')).toEqual([expect.stringContaining(named)]);
    expect(r.stderr).not.toMatch(/^\s+at /m);
  });

  it('nothing was started or created: no server folder, no folder where the user typed, reports/ unchanged', () => {
    expect(readdirSync(tmp).filter((entry) => entry.startsWith('arcane-'))).toEqual([]);
    expect(readdirSync(typedFrom)).toEqual([]);
    expect(snapshot()).toEqual(before);
  });
});

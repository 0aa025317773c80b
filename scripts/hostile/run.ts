/**
 * npm run hostile [-- case ...]
 * Certifies each hostile submission of fixtures/hostile (focused: the case's own spec files) and
 * asserts that it is not certified, or certified only when its SQL is correct and the hostile part
 * had no effect; that it ended within its time bound with no process left behind; and that nothing
 * on the server outside its databases changed. One embedded server serves the cases as a shared
 * server (DATABASE_URL); cases marked "own" start their own, as a grader without one would.
 */
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import fs from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import pg from 'pg';
import { ensureApplicationRole, RUN_ROLE_PATTERN, withAdminClient } from '../../helpers/db/run-roles.js';
import { runWithin } from '../../helpers/safety/bounded-run.js';
import { compareSnapshots, snapshotServer } from '../../helpers/safety/server-integrity.js';
import { embeddedServer } from '../../helpers/server/embedded.js';
import type { ProvisionedServer } from '../../helpers/server/provision.js';
import { cliCommand } from '../cli.js';
import { type HostileCase, loadCases, materializeCase } from './cases.js';

interface VitestJson {
  numTotalTests: number;
  numFailedTests: number;
  testResults: {
    name: string;
    status: string;
    message?: string;
    assertionResults: { status: string; failureMessages: string[] }[];
  }[];
}

interface Outcome {
  name: string;
  verdict: string;
  seconds: number;
  problems: string[];
}

const rel = (f: string) => path.relative(process.cwd(), f);

/** Processes still running with the case's tag in their environment (the servers it started and their backends). */
function taggedProcesses(tag: string): string[] {
  const found: string[] = [];
  for (const entry of readdirSync('/proc').filter((e) => /^\d+$/.test(e))) {
    try {
      if (!readFileSync(`/proc/${entry}/environ`, 'utf8').split('\0').includes(`ARCANE_RUN_TAG=${tag}`)) continue;
      found.push(`${entry} ${readFileSync(`/proc/${entry}/cmdline`, 'utf8').split('\0').join(' ').slice(0, 100)}`);
    } catch {
      // ended meanwhile, or another user's
    }
  }
  return found;
}

async function leftovers(adminUrl: string): Promise<string[]> {
  const client = new pg.Client({ connectionString: adminUrl });
  await client.connect();
  try {
    const found: string[] = [];
    const { rows: sessions } = await client.query<{ usename: string }>(
      'SELECT usename FROM pg_catalog.pg_stat_activity WHERE usename IS NOT NULL',
    );
    for (const s of sessions) if (RUN_ROLE_PATTERN.test(s.usename)) found.push(`a session of ${s.usename}`);
    const { rows: roles } = await client.query<{ rolname: string }>('SELECT rolname FROM pg_catalog.pg_roles');
    for (const r of roles) if (RUN_ROLE_PATTERN.test(r.rolname)) found.push(`role ${r.rolname}`);
    const { rows: dbs } = await client.query<{ datname: string }>('SELECT datname FROM pg_catalog.pg_database');
    for (const d of dbs) if (/^arcane_[0-9a-f]{12}$/.test(d.datname)) found.push(`database ${d.datname}`);
    return found;
  } finally {
    await client.end();
  }
}

async function runCase(c: HostileCase, shared: ProvisionedServer, workDir: string): Promise<Outcome> {
  const problems: string[] = [];
  const sqlDir = path.join(workDir, c.name, 'sql');
  await materializeCase(c, sqlDir);
  for (const file of c.expect.absentFiles ?? []) await fs.rm(file, { force: true });
  const jsonFile = path.join(workDir, c.name, 'vitest.json');
  const own = c.server === 'own';
  const tag = `hostile-${c.name}-${process.pid}-${Date.now()}`;
  const env: NodeJS.ProcessEnv = {
    ...process.env,
    SQL_DIR: sqlDir,
    ARCANE_NO_DOCKER: '1',
    NO_COLOR: '1',
    ARCANE_RUN_TAG: tag,
    ...c.env,
  };
  if (own) delete env.DATABASE_URL;
  else env.DATABASE_URL = shared.adminUrl;
  const before = await snapshotServer(shared.adminUrl);
  const maxSeconds = c.maxSeconds ?? 150;
  const certify = c.command === 'certify';
  const args = certify
    ? ['tsx', 'scripts/certify.ts', '--timeout', c.certifyTimeout ?? '60s', sqlDir]
    : [
        'vitest',
        'run',
        '--reporter=default',
        '--reporter=./helpers/certificate/reporter.ts',
        '--reporter=json',
        `--outputFile.json=${jsonFile}`,
        ...c.specs,
      ];
  const run = await runWithin('npx', args, env, maxSeconds, { capture: true, graceSeconds: 5 });
  if (run.timedOut) problems.push(`timed out after ${maxSeconds} s`);
  if (run.stragglers.length > 0)
    problems.push(`processes of the run were still alive when it ended: ${run.stragglers.join('; ')}`);
  const result = JSON.parse(
    await fs.readFile(jsonFile, 'utf8').catch(() => '{"numTotalTests":0,"numFailedTests":0,"testResults":[]}'),
  ) as VitestJson;
  const reports = ['certification.json', 'certification.md', 'results.json']
    .map((f) => (existsSync(path.join('reports', f)) ? readFileSync(path.join('reports', f), 'utf8') : ''))
    .join('\n');
  const everything = `${run.output}\n${JSON.stringify(result)}\n${reports}`;
  const fileFailed = (spec: string) => {
    const f = result.testResults.find((t) => rel(t.name) === spec);
    return f === undefined ? undefined : f.status === 'failed' || f.assertionResults.some((a) => a.status === 'failed');
  };
  for (const spec of c.expect.failingSpecs ?? [])
    if (fileFailed(spec) !== true)
      problems.push(`${spec} should fail, ${fileFailed(spec) === undefined ? 'did not run' : 'passed'}`);
  for (const spec of c.expect.passingSpecs ?? [])
    if (fileFailed(spec) !== false)
      problems.push(`${spec} should pass, ${fileFailed(spec) === undefined ? 'did not run' : 'failed'}`);
  for (const code of c.expect.loadFailureCodes ?? [])
    if (!everything.includes(`SQLSTATE ${code}`)) problems.push(`no statement was refused with SQLSTATE ${code}`);
  for (const file of c.expect.absentFiles ?? []) if (existsSync(file)) problems.push(`${file} was created`);
  for (const text of c.expect.outputLacks ?? [])
    if (everything.includes(text)) problems.push(`the output shows ${JSON.stringify(text)}`);
  for (const text of c.expect.outputHas ?? [])
    if (!everything.includes(text)) problems.push(`the output lacks ${JSON.stringify(text)}`);
  if (everything.includes('\u001b')) problems.push('an escape character reached the output or the reports');
  for (const left of await leftovers(shared.adminUrl)) problems.push(`left behind on the shared server: ${left}`);
  const stray = taggedProcesses(tag);
  if (stray.length > 0) problems.push(`processes of the run left running: ${stray.join('; ')}`);
  for (const change of compareSnapshots(before, await snapshotServer(shared.adminUrl)))
    problems.push(`server changed: ${change}`);
  if (!certify && !run.timedOut && result.numTotalTests === 0)
    problems.push(`no check ran (exit ${run.status}):\n${run.output.slice(-1500)}`);
  const failed = result.numFailedTests;
  const certificate = path.join('reports', 'certification.json');
  const certified = (existsSync(certificate) ? JSON.parse(readFileSync(certificate, 'utf8')) : {}) as { certified?: boolean };
  const timedOutVerdict = /certify: TIMED OUT/.test(run.output);
  if (certify && run.status === 0) problems.push('certify exited 0');
  const verdict = timedOutVerdict
    ? 'TIMED OUT, not certified (exit 1)'
    : failed > 0 || run.status !== 0
      ? `not certified (${failed}/${result.numTotalTests} checks failed${run.status !== 0 && failed === 0 ? `, exit ${run.status}` : ''})`
      : `all ${result.numTotalTests} checks passed${certified.certified ? '' : ' (focused run: no certificate)'}`;
  return { name: c.name, verdict, seconds: run.seconds, problems };
}

async function main(): Promise<void> {
  const only = cliCommand(
    'hostile',
    'Certifies each hostile submission of fixtures/hostile and checks it is refused (or harmless), bounded, with nothing left behind.',
  )
    .argument('[case...]', 'only these cases (names of fixtures/hostile folders; default: all)')
    .parse().processedArgs[0] as string[];
  const cases = await loadCases(only);
  if (cases.length === 0) throw new Error(`no hostile case matches ${only.join(', ')}`);
  const workDir = await fs.mkdtemp(path.join(os.tmpdir(), 'arcane-hostile-'));
  const shared = await embeddedServer({ durability: 'fast' });
  await withAdminClient(shared.adminUrl, ensureApplicationRole); // created once per server, as every run does
  const outcomes: Outcome[] = [];
  const started = Date.now();
  try {
    for (const c of cases) {
      const outcome = await runCase(c, shared, workDir);
      outcomes.push(outcome);
      console.log(
        `${outcome.problems.length === 0 ? '✓' : '✗'} ${c.name}: ${outcome.verdict} (${outcome.seconds.toFixed(1)} s)${outcome.problems.map((p) => `\n    - ${p}`).join('')}`,
      );
    }
  } finally {
    await shared.stop();
    await fs.rm(workDir, { recursive: true, force: true });
  }
  const table = [
    '| case | verdict | time | assertions |',
    '|---|---|---|---|',
    ...outcomes.map(
      (o) =>
        `| ${o.name} | ${o.verdict} | ${o.seconds.toFixed(1)} s | ${o.problems.length === 0 ? 'hold' : o.problems.join('<br>')} |`,
    ),
  ].join('\n');
  console.log(
    `\n${table}\n\n${outcomes.length} cases in ${((Date.now() - started) / 1000).toFixed(0)} s (as uid ${process.getuid?.()})`,
  );
  await fs.mkdir('reports', { recursive: true });
  await fs.writeFile('reports/hostile.md', `${table}\n`);
  await fs.writeFile('reports/hostile.json', JSON.stringify(outcomes, null, 2));
  if (outcomes.some((o) => o.problems.length > 0)) process.exitCode = 1;
}

main().catch((error: unknown) => {
  console.error(`hostile: ${(error as Error).message}`);
  process.exitCode = 2;
});

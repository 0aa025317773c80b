/**
 * npm run mutants [-- [--full] [--jobs N] [--table] [name ...]]
 * Applies each broken solution of fixtures/mutants and runs, against it, the checks of its own
 * criterion in its killedBy spec files (`--tags-filter=<criterion>`), several mutants at once.
 * Then prints the traceability table (CONTRACT.md clause → checks → mutants) and exits non-zero
 * when a mutant is not killed by its own criterion, its patch no longer applies, a clause has no
 * check or no killed mutant, or a contract sentence is unclassified.
 * Each lane (--jobs, default 2) has an embedded server of its own, reset between mutants.
 * --full runs the whole suite per mutant; --table only checks the annotations and patches.
 */
import { spawn } from 'node:child_process';
import fs from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { cliCommand, integerAtLeast } from '../cli.js';
import { loadCatalogue, type Mutant, materialize } from './catalogue.js';
import { scanSpecs } from './checks.js';
import { loadClauses } from './clauses.js';
import { type Lane, openLanes } from './lanes.js';
import { buildTrace, type MutantOutcome, renderTrace } from './trace.js';

interface VitestJson {
  testResults: {
    name: string;
    status: string;
    message?: string;
    assertionResults: { fullName: string; status: string; failureMessages: string[] }[];
  }[];
}

export interface Verdict {
  mutant: string;
  criterion: string;
  /** killed: every spec in killedBy failed a check of the criterion; partial: some did; unrelated: only other specs failed. */
  verdict: Exclude<MutantOutcome, 'not run'>;
  killedBy: string[];
  firstFailure: string;
  seconds: number;
}

const LOAD_FAILURE = 'did not apply, so nothing can be checked';

function runVitest(args: string[], env: NodeJS.ProcessEnv): Promise<void> {
  return new Promise((resolve) => {
    const child = spawn('npx', ['vitest', 'run', ...args], { env, stdio: ['ignore', 'ignore', 'pipe'] });
    let stderr = '';
    child.stderr.on('data', (chunk: Buffer) => {
      stderr = (stderr + chunk.toString()).slice(-4000);
    });
    child.on('close', () => {
      if (process.env.MUTANTS_VERBOSE) process.stderr.write(stderr);
      resolve();
    });
  });
}

async function runOne(mutant: Mutant, full: boolean, workDir: string, lane: Lane): Promise<Verdict> {
  const started = Date.now();
  await lane.reset();
  const sqlDir = path.join(workDir, mutant.name, 'sql');
  await materialize(mutant, path.resolve('sql'), sqlDir);
  const output = path.join(workDir, mutant.name, 'vitest.json');
  // The reference engine's own checks (engine/) run under their config and carry no criterion tags.
  const scope = mutant.engine
    ? ['--config', 'vitest.engine.config.ts', ...mutant.killedBy]
    : full
      ? []
      : [...mutant.killedBy, `--tags-filter=${mutant.criterion}`];
  await runVitest(['--reporter=json', `--outputFile=${output}`, '--maxWorkers=2', ...scope], {
    ...process.env,
    SQL_DIR: sqlDir,
    DATABASE_URL: lane.url,
    ARCANE_MUTANT_RUN: '1',
  });
  const seconds = (Date.now() - started) / 1000;
  const result = JSON.parse(await fs.readFile(output, 'utf8').catch(() => '{"testResults":[]}')) as VitestJson;
  const failedFiles = result.testResults.filter(
    (f) => f.status === 'failed' || f.assertionResults.some((a) => a.status === 'failed'),
  );
  const rel = (f: string) => path.relative(process.cwd(), f);
  const messages = failedFiles
    .flatMap((f) => [f.message ?? '', ...f.assertionResults.flatMap((a) => a.failureMessages)])
    .filter(Boolean);
  const firstFailure = (messages[0] ?? '').split('\n').slice(0, 3).join(' ⏎ ').slice(0, 240);
  const base = { mutant: mutant.name, criterion: mutant.criterion, firstFailure, seconds };
  if (failedFiles.length === 0) return { ...base, verdict: 'survived', killedBy: [] };
  if (messages.every((m) => m.includes(LOAD_FAILURE)))
    return { ...base, verdict: 'crashed', killedBy: failedFiles.map((f) => rel(f.name)) };
  const killers = failedFiles.map((f) => rel(f.name));
  const own = killers.filter((k) => mutant.killedBy.includes(k));
  const verdict = own.length === mutant.killedBy.length ? 'killed' : own.length > 0 ? 'partial' : 'unrelated';
  return { ...base, verdict, killedBy: own.length ? own : killers };
}

async function main(): Promise<void> {
  const program = cliCommand(
    'mutants',
    "Runs each broken solution of fixtures/mutants against its own criterion's checks, then the traceability table.",
  )
    .argument('[mutant-name...]', 'only these mutants (default: all)')
    .option('--jobs <n>', 'lanes (embedded servers) at once', integerAtLeast(1), 2)
    .option('--full', 'the whole suite per mutant')
    .option('--table', 'only check annotations and patches (runs nothing)')
    .parse();
  const only = program.args;
  const { jobs, full = false, table: tableOnly = false } = program.opts<{ jobs: number; full?: boolean; table?: boolean }>();
  const all = await loadCatalogue();
  const catalogue = all.filter((m) => only.length === 0 || only.includes(m.name));
  if (catalogue.length === 0) throw new Error(`no mutant matches ${only.join(', ')}`);
  const { clauses, unclassified } = await loadClauses();
  const specs = await scanSpecs();

  const workDir = await fs.mkdtemp(path.join(os.tmpdir(), 'arcane-mutants-'));
  const verdicts: Verdict[] = [];
  const stale: string[] = [];
  try {
    // Every patch must still apply before anything runs: a stale mutant stops the run loudly.
    for (const mutant of all) {
      await materialize(mutant, path.resolve('sql'), path.join(workDir, 'probe')).catch((e: Error) => stale.push(e.message));
    }
    if (!tableOnly && stale.length === 0) {
      const lanes = await openLanes(Math.max(1, Math.min(jobs, catalogue.length)));
      const queue = [...catalogue];
      try {
        await Promise.all(
          lanes.map(async (lane) => {
            for (let mutant = queue.shift(); mutant; mutant = queue.shift()) {
              const verdict = await runOne(mutant, full, workDir, lane);
              verdicts.push(verdict);
              console.log(
                `${verdict.verdict === 'killed' ? '✓' : '✗'} ${mutant.name}: ${verdict.verdict} by ${verdict.killedBy.join(', ') || '—'} (${verdict.seconds.toFixed(1)} s)`,
              );
            }
          }),
        );
      } finally {
        await Promise.all(lanes.map((l) => l.stop().catch(() => undefined)));
      }
    }
  } finally {
    await fs.rm(workDir, { recursive: true, force: true });
  }
  verdicts.sort((a, b) => a.mutant.localeCompare(b.mutant));
  const outcomes = new Map<string, MutantOutcome>(verdicts.map((v) => [v.mutant, v.verdict]));
  const trace = buildTrace(clauses, unclassified, specs, all, outcomes);
  const kills = [
    '| mutant | criterion | verdict | killed by | time |',
    '|---|---|---|---|---|',
    ...verdicts.map(
      (v) => `| ${v.mutant} | ${v.criterion} | ${v.verdict} | ${v.killedBy.join('<br>') || '—'} | ${v.seconds.toFixed(1)} s |`,
    ),
  ].join('\n');
  const table = renderTrace(trace);
  console.log(`\n${table}\n`);
  if (verdicts.length) console.log(`${kills}\n`);
  await fs.mkdir('reports', { recursive: true });
  await fs.writeFile('reports/traceability.md', `# Traceability: CONTRACT.md → checks → mutants\n\n${table}\n`);
  if (verdicts.length) {
    await fs.writeFile('reports/mutants.md', `${kills}\n`);
    await fs.writeFile('reports/mutants.json', JSON.stringify(verdicts, null, 2));
  }
  const problems = [...stale, ...trace.errors];
  for (const p of problems) console.log(`✗ ${p}`);
  const bad = verdicts.filter((v) => v.verdict !== 'killed');
  // --table cannot know kills, but every clause must still have a check and a mutant; a run of
  // some mutants only enforces nothing about clauses.
  const partialRun = tableOnly || only.length > 0;
  const open =
    only.length > 0
      ? []
      : trace.rows.filter((r) => (tableOnly ? r.status === 'no check' || r.status === 'no mutant' : r.status !== 'covered'));
  for (const row of open) console.log(`✗ clause ${row.clause.id} (CONTRACT.md:${row.clause.line}): ${row.status}`);
  const total = verdicts.reduce((s, v) => s + v.seconds, 0);
  console.log(
    `${all.length} mutants; ${verdicts.length - bad.length} of ${verdicts.length} run killed by their own criterion ` +
      `(${full ? 'full suite' : 'own criterion'} per mutant, ${jobs} at once, ${total.toFixed(0)} s summed); ` +
      `${trace.rows.length - trace.rows.filter((r) => r.status !== 'covered').length} of ${trace.rows.length} clauses covered` +
      (partialRun ? ' (partial run: kills of the clauses not enforced)' : ''),
  );
  if (bad.length > 0 || problems.length > 0 || open.length > 0) process.exitCode = 1;
}

main().catch((error: unknown) => {
  console.error(`mutants: ${(error as Error).message}`);
  process.exitCode = 2;
});

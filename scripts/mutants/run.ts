/**
 * npm run mutants [-- [--full] [name ...]]
 * Applies each broken solution of fixtures/mutants, runs the specs against it and prints who
 * killed it. Exits non-zero when a mutant survives, is killed only by unrelated specs, or only
 * crashed (its SQL did not apply). The fast (default) run executes each mutant's own spec files;
 * --full runs the whole suite per mutant.
 */
import { spawnSync } from 'node:child_process';
import fs from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { loadCatalogue, type Mutant, materialize } from './catalogue.js';

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
  /** killed: every spec in killedBy failed; partial: some did; unrelated: only other specs failed. */
  verdict: 'killed' | 'partial' | 'survived' | 'unrelated' | 'crashed';
  killedBy: string[];
  firstFailure: string;
  seconds: number;
}

const LOAD_FAILURE = 'did not apply, so nothing can be checked';

async function runOne(mutant: Mutant, full: boolean, workDir: string): Promise<Verdict> {
  const started = Date.now();
  const sqlDir = path.join(workDir, mutant.name, 'sql');
  await materialize(mutant, path.resolve('sql'), sqlDir);
  const output = path.join(workDir, mutant.name, 'vitest.json');
  // The reference engine's own checks (engine/) run under their config: they are not criteria.
  const engine = !full && mutant.killedBy.every((f) => f.startsWith('engine/')) ? ['--config', 'vitest.engine.config.ts'] : [];
  const args = ['vitest', 'run', ...engine, '--reporter=json', `--outputFile=${output}`, ...(full ? [] : mutant.killedBy)];
  spawnSync('npx', args, { env: { ...process.env, SQL_DIR: sqlDir }, stdio: ['ignore', 'ignore', 'inherit'] });
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
  const args = process.argv.slice(2);
  const full = args.includes('--full');
  const only = args.filter((a) => !a.startsWith('--'));
  const catalogue = (await loadCatalogue()).filter((m) => only.length === 0 || only.includes(m.name));
  if (catalogue.length === 0) throw new Error(`no mutant matches ${only.join(', ')}`);
  const workDir = await fs.mkdtemp(path.join(os.tmpdir(), 'arcane-mutants-'));
  const verdicts: Verdict[] = [];
  try {
    for (const mutant of catalogue) {
      const verdict = await runOne(mutant, full, workDir);
      verdicts.push(verdict);
      console.log(
        `${verdict.verdict === 'killed' ? '✓' : '✗'} ${mutant.name}: ${verdict.verdict} by ${verdict.killedBy.join(', ') || '—'} (${verdict.seconds.toFixed(1)} s)`,
      );
    }
  } finally {
    await fs.rm(workDir, { recursive: true, force: true });
  }
  const table = [
    '| mutant | expected criterion | verdict | killed by | time |',
    '|---|---|---|---|---|',
    ...verdicts.map(
      (v) => `| ${v.mutant} | ${v.criterion} | ${v.verdict} | ${v.killedBy.join('<br>') || '—'} | ${v.seconds.toFixed(1)} s |`,
    ),
  ].join('\n');
  console.log(`\n${table}\n`);
  await fs.mkdir('reports', { recursive: true });
  await fs.writeFile('reports/mutants.md', `${table}\n`);
  await fs.writeFile('reports/mutants.json', JSON.stringify(verdicts, null, 2));
  const bad = verdicts.filter((v) => v.verdict !== 'killed');
  console.log(
    `${verdicts.length - bad.length} killed, ${bad.length} not killed by their own criterion (${full ? 'full suite' : 'own specs'} per mutant)`,
  );
  if (bad.length > 0) process.exitCode = 1;
}

main().catch((error: unknown) => {
  console.error(`mutants: ${(error as Error).message}`);
  process.exitCode = 2;
});

/**
 * `npm run certify -- --repeat N [folder] [vitest arguments]`: certifies the folder N times and
 * fails unless every check has the same result in every run (a verdict must not depend on luck:
 * sampling, scheduling, timing). Prints each run's score and, for an unstable check, its results.
 */
import { spawnSync } from 'node:child_process';
import { existsSync, readFileSync, rmSync } from 'node:fs';
import path from 'node:path';

interface CertificateCheck {
  file: string;
  name: string;
  status: string;
}

interface Certificate {
  certified: boolean;
  score: number;
  maxScore: number;
  checks: CertificateCheck[];
}

/** For each check (file › name), its status in each run; checks absent from a run count as "absent". */
export function unstableChecks(runs: readonly CertificateCheck[][]): { check: string; statuses: string[] }[] {
  const keys = new Set(runs.flatMap((checks) => checks.map((c) => `${c.file} › ${c.name}`)));
  const byRun = runs.map((checks) => new Map(checks.map((c) => [`${c.file} › ${c.name}`, c.status])));
  return [...keys]
    .sort()
    .map((check) => ({ check, statuses: byRun.map((m) => m.get(check) ?? 'absent') }))
    .filter(({ statuses }) => new Set(statuses).size > 1);
}

/** Runs the certification `times` times; the exit code: 0 stable and certified, 1 otherwise, 2 no certificate. */
export function certifyRepeatedly(folder: string, times: number, vitestArgs: string[]): number {
  const certificatePath = path.resolve('reports/certification.json');
  const runs: Certificate[] = [];
  for (let run = 1; run <= times; run++) {
    rmSync(certificatePath, { force: true });
    const started = Date.now();
    spawnSync('npx', ['vitest', 'run', ...vitestArgs], {
      stdio: ['ignore', 'ignore', 'inherit'],
      env: { ...process.env, SQL_DIR: path.resolve(folder) },
    });
    if (!existsSync(certificatePath)) {
      console.error(`certify --repeat: run ${run} of ${times} ended without a certificate`);
      return 2;
    }
    const certificate = JSON.parse(readFileSync(certificatePath, 'utf8')) as Certificate;
    runs.push(certificate);
    const passed = certificate.checks.filter((c) => c.status === 'passed').length;
    console.log(
      `certify --repeat: run ${run}/${times}: ${certificate.certified ? 'CERTIFIED' : 'NOT CERTIFIED'} ${certificate.score}/${certificate.maxScore}, ${passed}/${certificate.checks.length} checks passed, ${((Date.now() - started) / 1000).toFixed(0)} s`,
    );
  }
  const unstable = unstableChecks(runs.map((r) => r.checks));
  for (const { check, statuses } of unstable) console.log(`  UNSTABLE ${check}: ${statuses.join(', ')}`);
  const certified = runs.filter((r) => r.certified).length;
  console.log(
    `certify --repeat: ${folder}: ${unstable.length === 0 ? `${times}/${times} runs identical` : `${unstable.length} check(s) differ between runs`}; certified in ${certified} of ${times}`,
  );
  return unstable.length === 0 && certified === times ? 0 : 1;
}

/**
 * npm run alternatives [-- [--repeat N] [--pg 15|16|17|18] [name …]]
 * Certifies every correct alternative solution in fixtures/alternatives (each written from
 * CONTRACT.md alone, making other choices than sql/). Exits non-zero when one is refused: a
 * correct solution that fails is an over-prescriptive check (or a wrong alternative) to decide on.
 */
import { spawnSync } from 'node:child_process';
import { readdirSync, statSync } from 'node:fs';
import path from 'node:path';
import { cliCommand, integerAtLeast, oneOf, PG_MAJORS } from './cli.js';

const ROOT = path.join('fixtures', 'alternatives');
const program = cliCommand(
  'alternatives',
  'Certifies every correct alternative solution of fixtures/alternatives; exits 1 when one is refused.',
)
  .argument('[name...]', `only these folders of ${ROOT} (default: all)`)
  .option('--repeat <n>', 'certify each N times (certify --repeat)', integerAtLeast(2))
  .option('--pg <major>', 'the PostgreSQL major (certify --pg)', oneOf(PG_MAJORS))
  .parse();
const names = program.processedArgs[0] as string[];
const { repeat, pg } = program.opts<{ repeat?: number; pg?: string }>();
// Handed to certify as they were typed (validated here first, so a bad value starts nothing).
const passed = [...(repeat ? ['--repeat', String(repeat)] : []), ...(pg ? ['--pg', pg] : [])];
const folders = readdirSync(ROOT)
  .filter((name) => statSync(path.join(ROOT, name)).isDirectory())
  .filter((name) => names.length === 0 || names.includes(name))
  .sort();
if (folders.length === 0) {
  console.error(`alternatives: no folders in ${ROOT}${names.length ? ` named ${names.join(', ')}` : ''}`);
  process.exit(2);
}

const outcomes: { folder: string; status: number | null; seconds: number }[] = [];
for (const folder of folders) {
  const started = Date.now();
  console.log(`\nalternatives: certifying ${folder}`);
  const run = spawnSync('npx', ['tsx', 'scripts/certify.ts', ...passed, path.join(ROOT, folder)], { stdio: 'inherit' });
  outcomes.push({ folder, status: run.status, seconds: (Date.now() - started) / 1000 });
}
console.log('\nalternatives:');
for (const o of outcomes)
  console.log(`  ${o.status === 0 ? 'CERTIFIED ' : 'REFUSED   '} ${o.folder} (${o.seconds.toFixed(0)} s)`);
process.exit(outcomes.every((o) => o.status === 0) ? 0 : 1);

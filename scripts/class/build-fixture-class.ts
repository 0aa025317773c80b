/**
 * npm run class:fixture -- <out> [--mutants N]
 * Builds a class of submissions from the project's own fixtures, one sub-folder per "student":
 * the starter, the reference (sql/), every folder of fixtures/alternatives and the contract
 * mutants of fixtures/mutants (all, or the first N; engine mutants are left out). `npm run certify -- --class <out>` then grades it.
 */
import fs from 'node:fs/promises';
import path from 'node:path';
import { cliCommand, integerAtLeast } from '../cli.js';
import { loadCatalogue, materialize } from '../mutants/catalogue.js';
import { fromShell } from './paths.js';

const program = cliCommand(
  'class:fixture',
  'Builds a class of submissions from the starter, sql/, the alternatives and the contract mutants.',
)
  .argument('<out>', 'folder to create (one sub-folder per submission)')
  .option('--mutants <n>', 'how many mutants to include (default: all)', integerAtLeast(0))
  .parse();
const out = fromShell(program.args[0]!);
const { mutants: limit } = program.opts<{ mutants?: number }>();

const reference = path.resolve('sql');
await fs.mkdir(out, { recursive: true });
const copy = (from: string, name: string) => fs.cp(from, path.join(out, name), { recursive: true });
await copy(path.resolve('fixtures/starter'), 'starter');
await copy(reference, 'reference');
const alternatives = path.resolve('fixtures/alternatives');
const alternativeNames = (await fs.readdir(alternatives, { withFileTypes: true }).catch(() => []))
  .filter((e) => e.isDirectory())
  .map((e) => e.name);
for (const name of alternativeNames) await copy(path.join(alternatives, name), `alternative-${name}`);
// Engine mutants break the reference engine's own objects (limited-edition mode, rollups), not the
// contract: certification does not look at them, so they would certify and belong in no class.
const catalogue = (await loadCatalogue()).filter((m) => !m.engine).slice(0, limit ?? undefined);
for (const mutant of catalogue) await materialize(mutant, reference, path.join(out, `mutant-${mutant.name}`));
console.log(
  `class:fixture: ${2 + alternativeNames.length + catalogue.length} submissions in ${out} (starter, reference, ${alternativeNames.length} alternatives, ${catalogue.length} mutants)`,
);

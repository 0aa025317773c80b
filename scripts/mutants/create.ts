/**
 * npm run mutants:create -- <spec.json>
 * Writes fixtures/mutants/<name>/ (mutant.json + mutant.patch) from a description holding the
 * mutant's metadata and exact-text edits of the reference sql/ folder, so a new mutant's patch is
 * generated, never hand-written: {"name", "defect", "criterion", "clauses", "killedBy",
 * "edits": [{"file", "find", "replace"}], "deletes": ["file"]}. Accepts a JSON array too.
 */
import fs from 'node:fs/promises';
import path from 'node:path';
import { createTwoFilesPatch } from 'diff';
import { cliCommand } from '../cli.js';
import { MUTANTS_DIR, PATCH_FILE } from './catalogue.js';

interface Description {
  name: string;
  defect: string;
  criterion: string;
  clauses: string[];
  killedBy: string[];
  edits?: { file: string; find: string; replace: string }[];
  deletes?: string[];
}

async function create(d: Description): Promise<void> {
  const changed = new Map<string, string | undefined>();
  for (const edit of d.edits ?? []) {
    const current = changed.get(edit.file) ?? (await fs.readFile(path.join('sql', edit.file), 'utf8').catch(() => ''));
    const count = current.split(edit.find).length - 1;
    if (count !== 1) throw new Error(`${d.name}: the text to replace occurs ${count} times in ${edit.file}:\n${edit.find}`);
    changed.set(
      edit.file,
      current.replace(edit.find, () => edit.replace),
    );
  }
  for (const file of d.deletes ?? []) changed.set(file, undefined);
  let patch = '';
  for (const [file, text] of [...changed].sort(([a], [b]) => a.localeCompare(b))) {
    const original = await fs.readFile(path.join('sql', file), 'utf8').catch(() => undefined);
    const diff = createTwoFilesPatch(
      original === undefined ? '/dev/null' : `a/${file}`,
      text === undefined ? '/dev/null' : `b/${file}`,
      original ?? '',
      text ?? '',
    );
    patch += diff
      .split('\n')
      .filter((l) => !l.startsWith('===='))
      .join('\n');
  }
  const folder = path.join(MUTANTS_DIR, d.name);
  await fs.mkdir(folder, { recursive: true });
  const { name: _name, edits: _edits, deletes: _deletes, ...meta } = d;
  await fs.writeFile(path.join(folder, 'mutant.json'), `${JSON.stringify(meta, null, 2)}\n`);
  await fs.writeFile(path.join(folder, PATCH_FILE), patch);
  console.log(`wrote ${path.relative(process.cwd(), folder)}`);
}

const file = cliCommand(
  'mutants:create',
  "Writes fixtures/mutants/<name>/ (mutant.json, mutant.patch) from a mutant's description.",
)
  .argument('[spec.json]', 'the description, or a JSON array of them (default: read from stdin)')
  .parse().args[0];
const input = JSON.parse(await fs.readFile(file ?? '/dev/stdin', 'utf8')) as Description | Description[];
for (const d of Array.isArray(input) ? input : [input]) await create(d);

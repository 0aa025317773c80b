import fs from 'node:fs/promises';
import path from 'node:path';

/** A deliberately broken solution: the reference SQL with one realistic defect. */
export interface Mutant {
  name: string;
  folder: string;
  /** What is wrong, in a student's words. */
  defect: string;
  /** The rubric tag (contract/rubric.ts) whose checks must catch it. */
  criterion: string;
  /** Spec files that must all fail on it; the fast run executes only these. */
  killedBy: string[];
  /** Exact-text edits to reference files; each `find` must occur (exactly once unless `all`). */
  edits: { file: string; find: string; replace: string; all?: boolean }[];
}

export const MUTANTS_DIR = path.resolve('fixtures/mutants');

export async function loadCatalogue(): Promise<Mutant[]> {
  const names = (await fs.readdir(MUTANTS_DIR, { withFileTypes: true }))
    .filter((e) => e.isDirectory())
    .map((e) => e.name)
    .sort();
  const mutants: Mutant[] = [];
  for (const name of names) {
    const folder = path.join(MUTANTS_DIR, name);
    const raw = JSON.parse(await fs.readFile(path.join(folder, 'mutant.json'), 'utf8')) as Omit<Mutant, 'name' | 'folder'>;
    mutants.push({ ...raw, edits: raw.edits ?? [], name, folder });
  }
  return mutants;
}

async function copyTree(from: string, to: string): Promise<void> {
  await fs.cp(from, to, { recursive: true, filter: (src) => !path.basename(src).startsWith('.') });
}

/**
 * Writes reference SQL + the mutant's edits + the files under its `files/` folder into `target`.
 * Throws when an edit no longer matches the reference, so a stale mutant is noticed, not ignored.
 */
export async function materialize(mutant: Mutant, referenceDir: string, target: string): Promise<void> {
  await fs.rm(target, { recursive: true, force: true });
  await copyTree(referenceDir, target);
  for (const edit of mutant.edits) {
    const file = path.join(target, edit.file);
    const text = await fs.readFile(file, 'utf8').catch(() => {
      throw new Error(`mutant ${mutant.name}: ${edit.file} does not exist in ${referenceDir}`);
    });
    const count = text.split(edit.find).length - 1;
    if (count === 0 || (!edit.all && count > 1)) {
      throw new Error(
        `mutant ${mutant.name}: the text to replace occurs ${count} times in ${edit.file} (want ${edit.all ? 'at least once' : 'exactly once'}):\n${edit.find}`,
      );
    }
    await fs.writeFile(file, edit.all ? text.split(edit.find).join(edit.replace) : text.replace(edit.find, () => edit.replace));
  }
  const overlay = path.join(mutant.folder, 'files');
  if (
    await fs.stat(overlay).then(
      (s) => s.isDirectory(),
      () => false,
    )
  )
    await copyTree(overlay, target);
}

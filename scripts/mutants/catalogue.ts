import fs from 'node:fs/promises';
import path from 'node:path';
import { applyPatch, parsePatch, type StructuredPatch } from 'diff';

/** A deliberately broken solution: the reference SQL with one realistic defect. */
export interface Mutant {
  name: string;
  folder: string;
  /** What is wrong, in a student's words. */
  defect: string;
  /** The rubric tag (contract/rubric.ts) whose checks must catch it. */
  criterion: string;
  /** CONTRACT.md clause ids (`<!-- clause: id -->`) the defect breaks. */
  clauses: string[];
  /** Spec files, all tagged with `criterion`, whose criterion checks must each fail on it. */
  killedBy: string[];
  /** The defect as a unified diff against the reference folder (`mutant.patch`). */
  patch: StructuredPatch[];
  /**
   * Killed by the reference engine's own checks (engine/, `npm run test:engine`): a defect of an
   * optional feature, not of a CONTRACT.md clause, so it names no clause and stays out of the table.
   */
  engine: boolean;
}

export const MUTANTS_DIR = path.resolve('fixtures/mutants');
export const PATCH_FILE = 'mutant.patch';

/**
 * Context lines may drift this far from the reference (lines added, removed or changed near a
 * hunk); the lines a hunk removes must still be there, compared with whitespace collapsed.
 */
const FUZZ_FACTOR = 2;

const collapse = (line: string) => line.trim().replace(/\s+/g, ' ');
const APPLY_OPTIONS = {
  fuzzFactor: FUZZ_FACTOR,
  compareLine: (_n: number, line: string, _op: string, patchContent: string) => collapse(line) === collapse(patchContent),
};

export async function loadCatalogue(): Promise<Mutant[]> {
  const names = (await fs.readdir(MUTANTS_DIR, { withFileTypes: true }))
    .filter((e) => e.isDirectory())
    .map((e) => e.name)
    .sort();
  const mutants: Mutant[] = [];
  for (const name of names) {
    const folder = path.join(MUTANTS_DIR, name);
    const raw = JSON.parse(await fs.readFile(path.join(folder, 'mutant.json'), 'utf8')) as Omit<
      Mutant,
      'name' | 'folder' | 'patch' | 'engine'
    >;
    const patchText = await fs.readFile(path.join(folder, PATCH_FILE), 'utf8').catch(() => {
      throw new Error(`mutant ${name}: ${PATCH_FILE} is missing`);
    });
    const patch = parsePatch(patchText);
    if (patch.length === 0 || patch.every((p) => p.hunks.length === 0))
      throw new Error(`mutant ${name}: ${PATCH_FILE} changes nothing`);
    const engine = raw.killedBy.length > 0 && raw.killedBy.every((f) => f.startsWith('engine/'));
    mutants.push({ ...raw, clauses: raw.clauses ?? [], name, folder, patch, engine });
  }
  return mutants;
}

/** `a/40_checkout.sql` → `40_checkout.sql`; `/dev/null` → undefined. */
function patchPath(name: string | undefined): string | undefined {
  if (!name || name === '/dev/null') return undefined;
  return name.replace(/^[ab]\//, '');
}

/**
 * Writes the reference folder with the mutant's patch applied into `target`. Throws, naming the
 * file and the hunk, when a hunk no longer fits the reference: a stale mutant is noticed, never
 * silently run as the unbroken reference.
 */
export async function materialize(mutant: Mutant, referenceDir: string, target: string): Promise<void> {
  await fs.rm(target, { recursive: true, force: true });
  await fs.cp(referenceDir, target, { recursive: true, filter: (src) => !path.basename(src).startsWith('.') });
  for (const filePatch of mutant.patch) {
    const before = patchPath(filePatch.oldFileName);
    const after = patchPath(filePatch.newFileName);
    if (after === undefined) {
      if (!before) throw new Error(`mutant ${mutant.name}: a patch section names no file`);
      await fs.rm(path.join(target, before)).catch(() => {
        throw new Error(`mutant ${mutant.name}: the patch deletes ${before}, which the reference does not have`);
      });
      continue;
    }
    const source = before ? await fs.readFile(path.join(target, before), 'utf8').catch(() => undefined) : '';
    if (source === undefined)
      throw new Error(`mutant ${mutant.name}: the patch edits ${before}, which the reference does not have`);
    // The diff library throws (instead of returning false) when a hunk points past the file's end.
    const fits = (hunks: StructuredPatch['hunks']): string | false => {
      try {
        return applyPatch(source, { ...filePatch, hunks }, APPLY_OPTIONS);
      } catch {
        return false;
      }
    };
    const result = fits(filePatch.hunks);
    if (result === false) {
      const hunk = filePatch.hunks.find((h) => fits([h]) === false);
      throw new Error(
        `mutant ${mutant.name}: its patch no longer applies to ${before} (the reference changed); regenerate ${PATCH_FILE}.\n` +
          (hunk ? hunk.lines.slice(0, 12).join('\n') : ''),
      );
    }
    await fs.mkdir(path.dirname(path.join(target, after)), { recursive: true });
    await fs.writeFile(path.join(target, after), result);
  }
}

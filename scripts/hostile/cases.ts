import { execFileSync } from 'node:child_process';
import fs from 'node:fs/promises';
import path from 'node:path';

/** One hostile submission: the reference SQL plus a hostile part (files/, edits, links, pipes). */
export interface HostileCase {
  name: string;
  folder: string;
  threat: string;
  /** Spec files the case runs (a fast, focused run; the hostile part targets them). */
  specs: string[];
  env?: Record<string, string>;
  /** 'shared': the runner's server, given as DATABASE_URL (the shared-server path); 'own': the run starts its own. */
  server?: 'shared' | 'own';
  maxSeconds?: number;
  /** 'certify': the whole `npm run certify` with --timeout certifyTimeout, instead of a focused vitest run. */
  command?: 'vitest' | 'certify';
  certifyTimeout?: string;
  edits?: { file: string; find: string; replace: string }[];
  /** Symbolic links to create, path in the SQL folder → target (`@project/` is this project's folder). */
  links?: Record<string, string>;
  fifos?: string[];
  expect: {
    failingSpecs?: string[];
    passingSpecs?: string[];
    /** SQLSTATEs the harness's "SQL folder applies" check must report. */
    loadFailureCodes?: string[];
    /** Files the hostile part tried to create. */
    absentFiles?: string[];
    outputLacks?: string[];
    outputHas?: string[];
  };
}

export const HOSTILE_DIR = path.resolve('fixtures/hostile');

export async function loadCases(only: string[]): Promise<HostileCase[]> {
  const names = (await fs.readdir(HOSTILE_DIR, { withFileTypes: true }))
    .filter((e) => e.isDirectory() && (only.length === 0 || only.includes(e.name)))
    .map((e) => e.name)
    .sort();
  const cases: HostileCase[] = [];
  for (const name of names) {
    const folder = path.join(HOSTILE_DIR, name);
    const raw = JSON.parse(await fs.readFile(path.join(folder, 'case.json'), 'utf8')) as Omit<HostileCase, 'name' | 'folder'>;
    cases.push({ ...raw, name, folder });
  }
  return cases;
}

/** Writes the case's submission into `target`: reference sql/, edits, files/, then links and pipes. */
export async function materializeCase(c: HostileCase, target: string): Promise<void> {
  await fs.rm(target, { recursive: true, force: true });
  await fs.cp(path.resolve('sql'), target, { recursive: true, filter: (src) => !path.basename(src).startsWith('.') });
  for (const edit of c.edits ?? []) {
    const file = path.join(target, edit.file);
    const text = await fs.readFile(file, 'utf8').catch(() => {
      throw new Error(`hostile case ${c.name}: ${edit.file} does not exist in the reference sql/`);
    });
    const count = text.split(edit.find).length - 1;
    if (count !== 1)
      throw new Error(
        `hostile case ${c.name}: the text to replace occurs ${count} times in ${edit.file} (want exactly once):\n${edit.find}`,
      );
    await fs.writeFile(
      file,
      text.replace(edit.find, () => edit.replace),
    );
  }
  const overlay = path.join(c.folder, 'files');
  if (
    await fs.stat(overlay).then(
      (st) => st.isDirectory(),
      () => false,
    )
  )
    await fs.cp(overlay, target, { recursive: true });
  for (const [link, to] of Object.entries(c.links ?? {})) {
    const at = path.join(target, link);
    await fs.rm(at, { force: true });
    await fs.symlink(to.replace(/^@project\//, `${process.cwd()}/`), at);
  }
  for (const fifo of c.fifos ?? []) execFileSync('mkfifo', [path.join(target, fifo)]);
}

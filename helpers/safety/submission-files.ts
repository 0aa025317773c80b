import { closeSync, constants, fstatSync, lstatSync, openSync, readdirSync, readFileSync, type Stats } from 'node:fs';
import path from 'node:path';

/** Largest file the harness reads from a submission (the reference's largest is ~30 kB). */
export const MAX_SUBMISSION_FILE_BYTES = 2 * 1024 * 1024;
const MAX_ENTRIES = 5000;
const MAX_DEPTH = 6;

/** A file the harness will not read, with the reason a student can act on. */
export interface RefusedEntry {
  path: string;
  reason: string;
}

export class SubmissionFileError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'SubmissionFileError';
    this.stack = `${this.name}: ${message}`;
  }
}

function kindOf(stat: Stats): string | undefined {
  if (stat.isSymbolicLink()) return 'a symbolic link';
  if (stat.isFIFO()) return 'a named pipe';
  if (stat.isSocket()) return 'a socket';
  if (stat.isBlockDevice() || stat.isCharacterDevice()) return 'a device';
  return undefined;
}

/**
 * Everything in the submission folder the harness refuses to read: symbolic links (they could
 * point at the grader's files), named pipes, sockets and devices (a read could block forever),
 * and files over the size limit. The folder itself may be a link the grader chose.
 */
export function refusedEntries(folder: string): RefusedEntry[] {
  const refused: RefusedEntry[] = [];
  let seen = 0;
  const walk = (dir: string, depth: number) => {
    for (const entry of readdirSync(dir)) {
      if (++seen > MAX_ENTRIES) {
        refused.push({ path: path.relative(folder, dir) || '.', reason: `more than ${MAX_ENTRIES} entries: not read` });
        return;
      }
      const full = path.join(dir, entry);
      const stat = lstatSync(full);
      const kind = kindOf(stat);
      const shown = path.relative(folder, full);
      if (kind) refused.push({ path: shown, reason: `${kind}: refused (copy the file itself into the folder)` });
      else if (stat.isDirectory() && depth < MAX_DEPTH) walk(full, depth + 1);
      else if (stat.isFile() && stat.size > MAX_SUBMISSION_FILE_BYTES)
        refused.push({ path: shown, reason: `${stat.size} bytes: over the ${MAX_SUBMISSION_FILE_BYTES}-byte limit` });
    }
  };
  walk(folder, 0);
  return refused;
}

/**
 * Reads a file of the submission, refusing anything that is not a regular file reached without
 * symbolic links from `folder`, or that is too large. The checks read query files only this way,
 * so no file from outside the submission can end up quoted in feedback.
 */
export function readSubmissionFileSync(folder: string, file: string): string {
  const relative = path.relative(folder, file);
  if (relative.startsWith('..') || path.isAbsolute(relative))
    throw new SubmissionFileError(`${file} is outside the submission folder ${folder}`);
  let current = folder;
  for (const part of relative.split(path.sep)) {
    current = path.join(current, part);
    const stat = lstatSync(current); // ENOENT propagates: callers say "does not exist"
    const kind = kindOf(stat);
    if (kind) throw new SubmissionFileError(`${relative} is ${kind}: refused (copy the file itself into the folder)`);
  }
  const fd = openSync(file, constants.O_RDONLY | constants.O_NOFOLLOW | constants.O_NONBLOCK);
  try {
    const stat = fstatSync(fd);
    if (!stat.isFile()) throw new SubmissionFileError(`${relative} is not a regular file: refused`);
    if (stat.size > MAX_SUBMISSION_FILE_BYTES)
      throw new SubmissionFileError(`${relative} has ${stat.size} bytes: over the ${MAX_SUBMISSION_FILE_BYTES}-byte limit`);
    return readFileSync(fd, 'utf8');
  } finally {
    closeSync(fd);
  }
}

/** The submission folder a file belongs to: SQL_DIR (default sql/) when it is inside, else its own folder. */
export function submissionRootOf(file: string): string {
  const root = path.resolve(process.env.SQL_DIR ?? 'sql');
  const relative = path.relative(root, path.resolve(file));
  return relative.startsWith('..') || path.isAbsolute(relative) ? path.dirname(path.resolve(file)) : root;
}

/** readSubmissionFileSync for a file of the submission under test (see submissionRootOf). */
export function readSubmissionFile(file: string): string {
  return readSubmissionFileSync(submissionRootOf(file), path.resolve(file));
}

import path from 'node:path';

/**
 * A path typed by the user, resolved from the shell's working directory: `npm run` moves the
 * process to the project root, and records where the user was in INIT_CWD.
 */
export function fromShell(p: string): string {
  return path.resolve(process.env.INIT_CWD ?? process.cwd(), p);
}

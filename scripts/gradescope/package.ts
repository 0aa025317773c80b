/**
 * npm run package:gradescope [-- --out dist/gradescope-autograder.zip]
 * The Gradescope autograder zip: setup.sh and run_autograder (templates/gradescope) at its top,
 * and the certification project (without node_modules and reports) beside them, which Gradescope
 * unpacks into /autograder/source.
 */
import { execFileSync } from 'node:child_process';
import fs from 'node:fs/promises';
import path from 'node:path';
import { type Zippable, zipSync } from 'fflate';
import { fromShell } from '../class/paths.js';
import { cliCommand } from '../cli.js';

const outArg = cliCommand(
  'package:gradescope',
  'Writes the Gradescope autograder zip (setup.sh, run_autograder and this project).',
)
  .option('--out <zip>', 'the zip to write (default: dist/gradescope-autograder.zip in the project)')
  .parse()
  .opts<{ out?: string }>().out;
const out = outArg ? fromShell(outArg) : path.resolve('dist', 'gradescope-autograder.zip');

const EXECUTABLE = { os: 3, attrs: 0o100755 << 16 } as const;
const REGULAR = { os: 3, attrs: 0o100644 << 16 } as const;

// The files git tracks: what a clone of the project holds, nothing local.
const tracked = execFileSync('git', ['ls-files', '-z'], { encoding: 'utf8' })
  .split('\0')
  .filter((f) => f && !f.startsWith('templates/') && !f.startsWith('.ci/'));
const files: Zippable = {};
for (const f of tracked) {
  const data = await fs.readFile(f).catch(() => undefined); // deleted but not yet committed
  if (data) files[f] = [new Uint8Array(data), REGULAR];
}
for (const f of ['setup.sh', 'run_autograder'])
  files[f] = [new Uint8Array(await fs.readFile(path.join('templates', 'gradescope', f))), EXECUTABLE];
await fs.mkdir(path.dirname(out), { recursive: true });
await fs.writeFile(out, zipSync(files, { level: 6 }));
console.log(
  `package:gradescope: ${out} (${Object.keys(files).length} files, ${((await fs.stat(out)).size / 1024).toFixed(0)} KiB): upload it as the autograder; base image Ubuntu 22.04`,
);

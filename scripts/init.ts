/**
 * npm run init [-- <folder>]
 * Copies the starter skeleton (fixtures/starter) into a new folder to work in test-first. The
 * folder is resolved from where the command is typed; by default it is ../arcane-solution, beside
 * the project rather than inside it (your work is then not mixed with the project's files or git).
 */
import fs from 'node:fs';
import path from 'node:path';
import { fromShell } from './class/paths.js';
import { cliCommand } from './cli.js';

const project = process.cwd(); // npm runs scripts from the project root
const given = cliCommand('init', 'Copies the starter skeleton (fixtures/starter) into a new folder to work in test-first.')
  .argument('[folder]', 'the new folder, from where you type the command (default: ../arcane-solution beside the project)')
  .parse().args[0];
const target = given ? fromShell(given) : path.resolve(project, '..', 'arcane-solution');
if (fs.existsSync(target) && fs.readdirSync(target).length > 0) {
  console.error(`init: ${target} exists and is not empty; choose a new folder: npm run init -- <folder>`);
  process.exit(2);
}
fs.cpSync(path.resolve('fixtures/starter'), target, { recursive: true });
const inside = !path.relative(project, target).startsWith('..');
const shown = path.relative(project, target);
console.log(
  [
    `init: starter copied to ${target}`,
    ...(inside
      ? [
          `      (inside the project: fine for a try, but git will list it among the project's changes; a folder outside, e.g. npm run init -- ../my-solution, keeps them apart)`,
        ]
      : []),
    `next, from ${project}:`,
    `  SQL_DIR=${shown} npx vitest        watch mode: start with Task 1 (10_schema.sql); saving a .sql file reruns the checks`,
    `  npm run certify -- ${shown}        the full certificate (reports/certification.html)`,
  ].join('\n'),
);

/**
 * npm run lab:html -- <report folder>   (default: the newest under reports/lab)
 * Renders report.html again from a lab run's summary.json, without running the lab.
 */
import fs from 'node:fs/promises';
import path from 'node:path';
import { fromShell } from '../class/paths.js';
import { cliCommand } from '../cli.js';
import type { LabSummary } from './html-report.js';

async function newestRun(): Promise<string> {
  const root = path.resolve('reports', 'lab');
  const runs = (await fs.readdir(root).catch(() => [] as string[])).sort();
  if (runs.length === 0) throw new Error('no lab run under reports/lab: run npm run lab first');
  return path.join(root, runs.at(-1)!);
}

const given = cliCommand('lab:html', "Renders a lab run's report.html again from its summary.json, without running the lab.")
  .argument('[folder]', 'the lab report folder (default: the newest under reports/lab)')
  .parse().args[0];
const dir = given ? fromShell(given) : await newestRun();
// Imported once the command line is read: Observable Plot and linkedom take a second to load.
const { renderLabHtml } = await import('./html-report.js');
try {
  const summary = JSON.parse(await fs.readFile(path.join(dir, 'summary.json'), 'utf8')) as LabSummary;
  await fs.writeFile(path.join(dir, 'report.html'), renderLabHtml(summary));
  console.log(`lab:html: ${path.join(dir, 'report.html')}`);
} catch (error) {
  console.error(`lab:html: ${(error as Error).message}`);
  process.exitCode = 1;
}

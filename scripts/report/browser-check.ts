/**
 * npm run check:html -- <page.html> ... [--screenshots reports/browser]
 * Opens each report page in headless Chromium (Debian's /usr/bin/chromium, or CHROMIUM_PATH)
 * through playwright-core, with a fresh empty profile and no network: fails when a page logs a
 * console error, throws, asks for anything but its own file, or lacks its key figures. Keeps a
 * full-page screenshot of each, and one of its first screen.
 */
import { existsSync } from 'node:fs';
import fs from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { pathToFileURL } from 'node:url';
import { fromShell } from '../class/paths.js';
import { cliCommand } from '../cli.js';

const CHROMIUM_FLAGS = [
  '--headless',
  '--no-sandbox',
  '--disable-gpu',
  '--disable-quic',
  '--no-first-run',
  '--disable-background-networking',
  '--disable-component-update',
  '--disable-sync',
];

/** What each kind of page must show, by file name: selectors that must exist (and how many at least). */
const KEY_FIGURES: Record<string, { selector: string; atLeast?: number; show?: boolean }[]> = {
  'certification.html': [
    { selector: '#verdict', show: true },
    { selector: '#criteria tbody tr', atLeast: 16 },
    { selector: '#criteria .bar' },
  ],
  'index.html': [
    { selector: '#class-headline', show: true },
    { selector: '#score-distribution svg' },
    { selector: '#pass-rates svg' },
    { selector: '#students tbody tr', atLeast: 1 },
  ],
  'report.html': [
    { selector: 'h1', show: true },
    { selector: '#revenue-curve svg' },
    { selector: '#cohort-heatmap svg' },
    { selector: '#join-buffers svg' },
    { selector: '#plan-before ul.plan li' },
    { selector: '#plan-after ul.plan li' },
    { selector: '#keys svg', atLeast: 3 },
    { selector: '#checkout svg' },
    { selector: '#refresh svg' },
  ],
};

async function main(): Promise<number> {
  const program = cliCommand(
    'check:html',
    'Opens each report page in headless Chromium, with no network; fails on a console error or a missing key figure.',
  )
    .argument('<page.html...>', 'the pages to check')
    .option('--screenshots <dir>', 'where the screenshots go (default: reports/browser)')
    .parse();
  const pages = program.args.map(fromShell);
  const given = program.opts<{ screenshots?: string }>().screenshots;
  const shots = given ? fromShell(given) : path.resolve('reports', 'browser');
  const executablePath = process.env.CHROMIUM_PATH ?? '/usr/bin/chromium';
  if (!existsSync(executablePath)) {
    console.error(`check:html: no Chromium at ${executablePath}: apt-get install -y chromium (as root), or set CHROMIUM_PATH`);
    return 2;
  }
  await fs.mkdir(shots, { recursive: true });
  // Imported once the command line is read: playwright-core takes a second to load.
  const { chromium } = await import('playwright-core');
  const profile = await fs.mkdtemp(path.join(os.tmpdir(), 'arcane-chromium-'));
  const context = await chromium.launchPersistentContext(profile, {
    executablePath,
    headless: true,
    args: CHROMIUM_FLAGS,
    viewport: { width: 1200, height: 900 },
  });
  let failures = 0;
  try {
    for (const file of pages) {
      const problems: string[] = [];
      const kind = path.basename(file);
      if (!existsSync(file)) {
        console.log(`✗ ${file}: no such file`);
        failures++;
        continue;
      }
      const page = await context.newPage();
      // Playwright's 30 s default was seen to expire on a full-page screenshot of a long certificate
      // with the machine's load at 20 (it passed on the next try): a slow machine is not a broken page.
      page.setDefaultTimeout(120_000);
      page.on('console', (m) => {
        if (m.type() === 'error') problems.push(`console error: ${m.text()}`);
      });
      page.on('pageerror', (e) => problems.push(`page error: ${e.message}`));
      const own = pathToFileURL(file).href;
      await page.route('**/*', (route) => {
        const url = route.request().url();
        if (url === own) return route.continue();
        problems.push(`asked for ${url} (the page must be self-contained)`);
        return route.abort();
      });
      await page.goto(own, { waitUntil: 'load' });
      const figures: string[] = [];
      for (const want of KEY_FIGURES[kind] ?? [{ selector: 'body' }]) {
        const count = await page.locator(want.selector).count();
        if (count < (want.atLeast ?? 1)) problems.push(`${want.selector}: found ${count}, want at least ${want.atLeast ?? 1}`);
        else if (want.show)
          figures.push(((await page.locator(want.selector).first().textContent()) ?? '').replace(/\s+/g, ' ').trim());
      }
      const shot = path.join(shots, `${path.basename(path.dirname(file))}-${kind.replace(/\.html$/, '')}.png`);
      await page.screenshot({ path: shot, fullPage: true });
      await page.screenshot({ path: shot.replace(/\.png$/, '-top.png') }); // the first screen, readable at a glance
      await page.close();
      if (problems.length) failures++;
      console.log(
        `${problems.length ? '✗' : '✓'} ${path.relative(process.cwd(), file)}: ${figures.join(' | ')} → ${path.relative(process.cwd(), shot)}`,
      );
      for (const p of problems) console.log(`    ${p}`);
    }
  } finally {
    await context.close();
    await fs.rm(profile, { recursive: true, force: true });
  }
  return failures ? 1 : 0;
}

main().then(
  (code) => process.exit(code),
  (error: unknown) => {
    console.error(`check:html: ${(error as Error).message}`);
    process.exit(2);
  },
);

/** Dev aid: where the synthesis spends its time, phase by phase (npx tsx scripts/bench/profile-synthesis.ts 200000). */
import { cliCommand, integerAtLeast } from '../cli.js';
import { withScratchDatabase } from './scratch-database.js';

const orders = cliCommand('bench:profile-synthesis', 'Dev aid: where the synthesis spends its time, phase by phase.')
  .name('npx tsx scripts/bench/profile-synthesis.ts')
  .argument('[orders]', 'orders synthesized', integerAtLeast(1), 200000)
  .parse().processedArgs[0] as number;
await withScratchDatabase(async (db) => {
  let last = performance.now();
  db.on('notice', (n) => {
    const now = performance.now();
    process.stdout.write(`+${(now - last).toFixed(0).padStart(6)} ms  ${n.message}\n`);
    last = now;
  });
  const t0 = performance.now();
  last = t0;
  await db.query('CALL synthesize_commerce(p_orders => $1, p_truncate => true)', [orders]);
  process.stdout.write(`total ${(performance.now() - t0).toFixed(0)} ms\n`);
});

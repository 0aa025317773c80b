/** Dev aid: where the synthesis spends its time, phase by phase (npx tsx scripts/bench/profile-synthesis.ts 200000). */
import path from 'node:path';
import pg from 'pg';
import { createDatabase, databaseUrl, uniqueDatabaseName } from '../../helpers/db/databases.js';
import { provisionServer } from '../../helpers/server/provision.js';
import { applySqlFolder } from '../../helpers/sql/load.js';
import { cliCommand, integerAtLeast } from '../cli.js';

const orders = cliCommand('bench:profile-synthesis', 'Dev aid: where the synthesis spends its time, phase by phase.')
  .name('npx tsx scripts/bench/profile-synthesis.ts')
  .argument('[orders]', 'orders synthesized', integerAtLeast(1), 200000)
  .parse().processedArgs[0] as number;
const server = await provisionServer({ durability: 'durable' });
try {
  const name = uniqueDatabaseName('arcane_profile');
  await createDatabase(server.adminUrl, name);
  const url = databaseUrl(server.adminUrl, name);
  await applySqlFolder(url, path.resolve('sql'));
  const db = new pg.Client({ connectionString: url });
  db.on('error', () => undefined);
  let last = performance.now();
  db.on('notice', (n) => {
    const now = performance.now();
    process.stdout.write(`+${(now - last).toFixed(0).padStart(6)} ms  ${n.message}\n`);
    last = now;
  });
  await db.connect();
  const t0 = performance.now();
  last = t0;
  await db.query('CALL synthesize_commerce(p_orders => $1, p_truncate => true)', [orders]);
  process.stdout.write(`total ${(performance.now() - t0).toFixed(0)} ms\n`);
  await db.end();
} finally {
  await server.stop();
}

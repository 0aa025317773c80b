// npm run refresh [-- --every 5m]
// Runs CALL refresh_dashboard() (REFRESH MATERIALIZED VIEW CONCURRENTLY of the dashboard views)
// once, or every <interval> (30s, 5m, 1h) until Ctrl-C, against DATABASE_URL. A refresh never
// overlaps the previous one. On a server with pg_cron the database can schedule it itself:
//   SELECT cron.schedule('refresh-dashboard', '*/5 * * * *', 'CALL refresh_dashboard()');
import pg from 'pg';
import { asOptionParser, cliCommand } from './cli.js';

export function parseInterval(text: string): number {
  const m = /^(\d+(?:\.\d+)?)\s*(ms|s|m|h)?$/.exec(text.trim());
  if (!m) throw new Error(`--every takes an interval like 30s, 5m or 1h, got "${text}"`);
  const unit = { ms: 1, s: 1000, m: 60_000, h: 3_600_000 }[(m[2] ?? 's') as 'ms' | 's' | 'm' | 'h'];
  const value = Number(m[1]) * unit;
  if (value < 1000) throw new Error(`--every must be at least 1s, got "${text}"`);
  return value;
}

async function refreshOnce(client: pg.Client): Promise<void> {
  const started = performance.now();
  await client.query('CALL refresh_dashboard()');
  const { rows } = await client.query<{ day: string | null; days: string }>(
    `SELECT max(day)::text AS day, count(*)::text AS days FROM daily_sales_stats`,
  );
  console.log(
    `${new Date().toISOString()} refresh_dashboard() in ${((performance.now() - started) / 1000).toFixed(2)} s · daily_sales_stats: ${rows[0]!.days} days, latest ${rows[0]!.day ?? '—'}`,
  );
}

async function main(): Promise<void> {
  const { every } = cliCommand(
    'refresh',
    'Runs CALL refresh_dashboard() against DATABASE_URL once, or every --every interval until Ctrl-C.',
  )
    .option('--every <interval>', 'refresh every 30s, 5m, 1h… (at least 1s; default: once)', asOptionParser(parseInterval))
    .parse()
    .opts<{ every?: number }>();
  const url = process.env.DATABASE_URL;
  if (!url) throw new Error('set DATABASE_URL to the database holding the dashboard (postgres://user:pass@host:5432/db)');
  const client = new pg.Client({ connectionString: url, application_name: 'arcane-refresh' });
  await client.connect();
  let stopping = false;
  let timer: NodeJS.Timeout | undefined;
  const stop = () => {
    stopping = true;
    if (timer) clearTimeout(timer);
    void client.end();
  };
  process.once('SIGINT', stop);
  process.once('SIGTERM', stop);
  await refreshOnce(client);
  if (every === undefined) return void (await client.end());
  const loop = async () => {
    if (stopping) return;
    try {
      await refreshOnce(client);
    } catch (error) {
      if (!stopping) console.error(`${new Date().toISOString()} refresh failed: ${(error as Error).message}`);
    }
    if (!stopping) timer = setTimeout(() => void loop(), every);
  };
  timer = setTimeout(() => void loop(), every);
}

main().catch((error: unknown) => {
  console.error(`refresh: ${(error as Error).message}`);
  process.exitCode = 1;
});

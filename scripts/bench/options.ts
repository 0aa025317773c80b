/** The bench's command line: sizes, connection counts, rounds, --seed, --out. */
import path from 'node:path';
import { InvalidArgumentError } from 'commander';
import { cliCommand, integerAtLeast, withSynthesisOptions } from '../cli.js';

/** The groups of figures `--only` can pick; the synthesis always runs (the other figures need its rows). */
export const FIGURE_GROUPS = ['synthesis', 'refresh', 'checkout', 'hot-item', 'limited-edition'] as const;
export type FigureGroup = (typeof FIGURE_GROUPS)[number];

function figureGroups(value: string): FigureGroup[] {
  const groups = value.split(',').map((g) => g.trim());
  const unknown = groups.filter((g) => !(FIGURE_GROUPS as readonly string[]).includes(g));
  if (unknown.length || groups.length === 0)
    throw new InvalidArgumentError(`It takes a comma-separated list of ${FIGURE_GROUPS.join(', ')}, got ${value}.`);
  return groups as FigureGroup[];
}

/** The bench's arguments; --help and a usage error exit here (0 and 2), before the server starts. */
export function parseOptions(argv: string[]) {
  const atLeast1 = integerAtLeast(1);
  const o = withSynthesisOptions(
    cliCommand(
      'bench',
      "The reference engine against the machine's own limits: checkout, hot item, limited edition, synthesis and refresh ratios.",
    ),
  )
    .option('--seconds <n>', 'seconds of each throughput run', atLeast1, 10)
    .option('--clients <n>', 'connections of the checkout and hot-item ratios', atLeast1, 8)
    .option('--limited-clients <n>', 'connections of the limited-edition ratio', atLeast1, 32)
    .option('--shards <n>', 'stock shards of the limited edition', atLeast1, 64)
    .option('--tpcb-scale <n>', "pgbench's tpcb-like scale", atLeast1, 10)
    .option('--rounds <n>', 'alternating rounds per ratio', atLeast1, 2)
    .option('--refresh-runs <n>', 'refreshes timed after a day of new orders', atLeast1, 3)
    .option('--out <file>', 'the JSON report', path.join('reports', 'bench.json'))
    .option(
      '--only <groups>',
      `measure only these figures (${FIGURE_GROUPS.join(', ')}; synthesis means its COPY floor, the synthesis itself always runs)`,
      figureGroups,
      [...FIGURE_GROUPS],
    )
    .parse(argv, { from: 'user' })
    .opts<{
      orders: number;
      seconds: number;
      clients: number;
      limitedClients: number;
      shards: number;
      tpcbScale: number;
      rounds: number;
      refreshRuns: number;
      seed: number;
      out: string;
      only: FigureGroup[];
    }>();
  return o;
}

/** The lab's command line: --orders, --seed, --checkout-seconds, --clients, --out. */
import path from 'node:path';
import { InvalidArgumentError } from 'commander';
import { cliCommand, positiveNumber, withSynthesisOptions } from '../cli.js';

export interface Options {
  orders: number;
  seed: number;
  checkoutSeconds: number;
  clients: number[];
  out: string;
}

const clientCounts = (value: string): number[] => {
  const counts = value.split(',').map(Number);
  if (counts.some((n) => !Number.isInteger(n) || n < 1))
    throw new InvalidArgumentError(`It must be client counts separated by commas, e.g. 8,32, got ${value}.`);
  return counts;
};

/** Parses the lab's arguments; --help and a usage error exit here (0 and 2), before anything starts. */
export function parseOptions(argv: string[]): Options {
  const program = withSynthesisOptions(
    cliCommand(
      'lab',
      'The Black Friday lab: synthesizes --orders orders on a server of its own and measures joins, the dashboard, keys, checkout and refresh.',
    ),
  )
    .option('--checkout-seconds <s>', 'seconds of each checkout throughput run', positiveNumber, 8)
    .option('--clients <list>', 'checkout client counts, comma-separated (default: 8,32)', clientCounts)
    .option('--out <dir>', 'the report folder (default: reports/lab/<timestamp>)')
    .parse(argv, { from: 'user' });
  const o = program.opts<Omit<Options, 'out' | 'clients'> & { out?: string; clients?: number[] }>();
  const stamp = new Date().toISOString().replace(/[:.]/g, '-').replace('Z', '');
  return { ...o, clients: o.clients ?? [8, 32], out: o.out ?? path.join('reports', 'lab', stamp) };
}

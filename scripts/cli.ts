/**
 * The command line of every `npm run <command>` (commander): `--help` prints the usage and exits 0;
 * an unknown option, a missing or bad value is one line on stderr naming it, and exit code 2.
 * Both happen while parsing, before the command starts any work (a server, a folder, reports/).
 */
import { Command, InvalidArgumentError } from 'commander';

/** The exit code of a command line the command does not understand. */
export const USAGE_ERROR = 2;

/** A commander program for `npm run <script>`: its usage line reads `npm run <script> -- [options]`. */
export function cliCommand(script: string, summary: string): Command {
  const program = new Command(`npm run ${script} --`);
  return program
    .description(summary)
    .helpOption('-h, --help', 'print this help and exit')
    .configureOutput({
      outputError: (message, write) =>
        write(
          `${script}: ${message
            .replace(/^error: /, '')
            .replace(/\s+/g, ' ')
            .trim()} (see ${program.name()} --help)\n`,
        ),
    })
    .exitOverride((error) => {
      // No stack trace and nothing started: the help (0) or the one-line message above (2), then out.
      process.exit(error.exitCode === 0 ? 0 : USAGE_ERROR);
    });
}

/** Parses a whole number >= min; `1_000_000` is accepted. The message names the value refused. */
export function integerAtLeast(min: number): (value: string) => number {
  return (value) => {
    const n = Number(value.replace(/_/g, ''));
    if (value.trim() === '' || !Number.isInteger(n) || n < min)
      throw new InvalidArgumentError(`It must be an integer >= ${min}, got ${value}.`);
    return n;
  };
}

/** Parses a finite number (a seed, seconds). */
export function finiteNumber(value: string): number {
  const n = Number(value);
  if (value.trim() === '' || !Number.isFinite(n)) throw new InvalidArgumentError(`It must be a number, got ${value}.`);
  return n;
}

/** Parses a number > 0. */
export function positiveNumber(value: string): number {
  const n = finiteNumber(value);
  if (n <= 0) throw new InvalidArgumentError(`It must be a positive number, got ${value}.`);
  return n;
}

/** The PostgreSQL majors `--pg` takes (embedded binaries in package.json). */
export const PG_MAJORS = ['15', '16', '17', '18'] as const;

/** Parses one of a few words, e.g. a PostgreSQL major. */
export function oneOf(choices: readonly string[]): (value: string) => string {
  return (value) => {
    if (!choices.includes(value)) throw new InvalidArgumentError(`It takes ${choices.join(', ')}, got ${value}.`);
    return value;
  };
}

/** Turns a parser that throws a plain Error (shared with non-CLI code) into a usage error. */
export function asOptionParser<T>(parse: (value: string) => T): (value: string) => T {
  return (value) => {
    try {
      return parse(value);
    } catch (error) {
      throw new InvalidArgumentError((error as Error).message);
    }
  };
}

/** The synthesis scale and seed, shared by the lab and the bench: `--orders` (>= 1000) and `--seed`. */
export function withSynthesisOptions(command: Command): Command {
  return command
    .option('--orders <n>', 'orders to synthesize (an integer >= 1000; 1_000_000 is fine)', integerAtLeast(1000), 1_000_000)
    .option('--seed <x>', 'the synthesis seed', finiteNumber, 0.42);
}

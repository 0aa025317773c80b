/**
 * A failed check's error as a person reads it. fast-check wraps the assertion that failed (with its
 * have/want/fix) in a report of seeds and paths; here the assertion comes first, then the shrunk
 * counterexample, pretty-printed, and the seed to replay it.
 */

interface ErrorLike {
  message?: string;
  cause?: unknown;
}

export interface PropertyFailure {
  seed: string;
  shrinks: number;
  counterexample: string;
}

const PROPERTY_HEADER = /^Property failed after (\d+) tests?/;

/** The seed, shrink count and counterexample of a fast-check failure report, if the text is one. */
export function parsePropertyFailure(message: string): PropertyFailure | undefined {
  if (!PROPERTY_HEADER.test(message)) return undefined;
  const seed = /seed: (-?\d+)/.exec(message)?.[1];
  const counterexample = /^Counterexample: (.*)$/m.exec(message)?.[1];
  if (seed === undefined || counterexample === undefined) return undefined;
  return { seed, shrinks: Number(/Shrunk (\d+) time/.exec(message)?.[1] ?? 0), counterexample };
}

// Microseconds since the epoch between 2000 and 2100: the oracles' timestamps.
const MICROS_MIN = 946_684_800_000_000n;
const MICROS_MAX = 4_102_444_800_000_000n;

function readableValue(value: unknown, indent: string): string {
  if (typeof value === 'string') {
    const big = /^(-?\d+)n$/.exec(value);
    if (big) {
      const n = BigInt(big[1]!);
      if (n >= MICROS_MIN && n <= MICROS_MAX) return `${new Date(Number(n / 1000n)).toISOString().replace('.000Z', 'Z')}`;
      return big[1]!;
    }
    return JSON.stringify(value);
  }
  if (Array.isArray(value)) {
    if (value.length === 0) return '[]';
    if (value.every((v) => typeof v !== 'object' || v === null))
      return `[${value.map((v) => readableValue(v, indent)).join(', ')}]`;
    return value.map((v) => `\n${indent}- ${readableValue(v, `${indent}  `).trimStart()}`).join('');
  }
  if (value && typeof value === 'object') {
    const entries = Object.entries(value);
    if (entries.length === 0) return '{}';
    return entries
      .map(([k, v]) => {
        const text = readableValue(v, `${indent}  `);
        return `\n${indent}${k}:${text.startsWith('\n') ? '' : ' '}${text}`;
      })
      .join('');
  }
  return String(value);
}

/** fast-check's one-line counterexample as indented lines; timestamps in microseconds shown as UTC. */
export function readableCounterexample(text: string): string {
  try {
    const quoted = text.replace(/(?<=[:[,]\s*)(-?\d+)n(?=\s*[,\]}])/g, '"$1n"');
    const parsed = JSON.parse(quoted) as unknown;
    const args = Array.isArray(parsed) && parsed.length === 1 ? parsed[0] : parsed;
    return readableValue(args, '  ').replace(/^\n/, '');
  } catch {
    return text; // not JSON-shaped (a Map, a function…): as fast-check printed it
  }
}

/** The message of a failed check: the failing assertion, then for a property its counterexample and seed. */
export function failureText(error: ErrorLike): string {
  const message = error.message ?? String(error);
  const property = parsePropertyFailure(message);
  if (!property) return message;
  const cause = error.cause as ErrorLike | undefined;
  const assertion = cause?.message ?? 'the property did not hold';
  return [
    assertion,
    `counterexample (shrunk ${property.shrinks} times):`,
    readableCounterexample(property.counterexample),
    `replay: FC_SEED=${property.seed}`,
  ].join('\n');
}

/**
 * Harness — the lab's progress lines on an 80-column terminal: a bar redrawn in place fits the
 * width with its figures whole, and a finished step's line names the whole step (label and
 * figures), never "checkout pr…".
 */
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { Progress } from '../../scripts/lab/progress.js';

const LABEL = 'checkout process_order, 32 clients, spread';
const DETAIL = '243 tx/s, p50 64.2 ms, p99 880.4 ms';
let written: string[];

beforeEach(() => {
  written = [];
  vi.spyOn(process.stderr, 'write').mockImplementation((chunk: string | Uint8Array) => {
    written.push(String(chunk));
    return true;
  });
  Object.defineProperty(process.stderr, 'isTTY', { value: true, configurable: true });
  Object.defineProperty(process.stderr, 'columns', { value: 80, configurable: true });
});

afterEach(() => {
  vi.restoreAllMocks();
  Object.defineProperty(process.stderr, 'isTTY', { value: undefined, configurable: true });
  Object.defineProperty(process.stderr, 'columns', { value: undefined, configurable: true });
});

/** What the terminal shows last on each line: the text after the last carriage return and erase. */
const screenLines = () =>
  written
    .join('')
    .split('\n')
    .map((line) => line.split('\r\x1b[K').pop()!)
    .filter((line) => line !== '');

describe('harness · lab progress at 80 columns', () => {
  it('a bar redrawn in place fits in 79 columns, its figures whole', () => {
    const progress = new Progress(LABEL);
    progress.update(0.5, 'p99 3.634 ms');
    const drawn = screenLines().at(-1)!;
    expect(drawn.length).toBeLessThanOrEqual(79);
    expect(drawn).toContain('p99 3.634 ms');
  });

  it("a finished step's line keeps the whole label and figures", () => {
    new Progress(LABEL).done(DETAIL);
    const last = screenLines().at(-1)!;
    expect(last).toContain(LABEL);
    expect(last).toContain(DETAIL);
  });
});

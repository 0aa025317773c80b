/** A one-line progress bar on stderr (redrawn in place on a terminal, a line per step otherwise). */
export class Progress {
  fraction = 0;
  private lastPrinted = -1;
  private readonly started = performance.now();
  private readonly tty = Boolean(process.stderr.isTTY);
  private static drawn = false;

  constructor(
    private readonly label: string,
    private readonly prefix = 'lab',
  ) {
    this.update(0, '');
  }

  /** Ends a bar drawn in place, so the next message starts on a line of its own. */
  static endLine(): void {
    if (Progress.drawn) process.stderr.write('\r\x1b[K');
    Progress.drawn = false;
  }

  /**
   * The line fits the terminal: the figures (percent, seconds, detail) are never cut; the bar
   * narrows first, then the label is shortened with an ellipsis.
   */
  private line(detail: string): string {
    const columns = Math.max(40, (process.stderr.columns ?? 120) - 1);
    const figures = `${(this.fraction * 100).toFixed(0).padStart(3)} % ${((performance.now() - this.started) / 1000).toFixed(1)} s${detail ? ` ${detail}` : ''}`;
    let label = `[${this.prefix}] ${this.label}`;
    const room = columns - figures.length - label.length - 4;
    const width = Math.max(0, Math.min(30, room));
    if (room < 10) {
      const keep = Math.max(8, columns - figures.length - 14);
      if (label.length > keep) label = `${label.slice(0, keep - 1)}…`;
    }
    const filled = Math.round(this.fraction * width);
    const bar = width > 0 ? ` [${'#'.repeat(filled)}${'-'.repeat(width - filled)}]` : '';
    return `${label}${bar} ${figures}`.slice(0, columns);
  }

  update(fraction: number, detail: string): void {
    this.fraction = Math.max(this.fraction, Math.min(1, fraction));
    if (this.tty) {
      process.stderr.write(`\r\x1b[K${this.line(detail)}`);
      Progress.drawn = true;
    } else if (Math.floor(this.fraction * 4) > this.lastPrinted && this.fraction < 1) {
      this.lastPrinted = Math.floor(this.fraction * 4); // not a terminal: a line per quarter
      process.stderr.write(`${this.line(detail)}\n`);
    }
  }

  /**
   * The step's last line, kept in the scrollback: whole (the terminal may wrap it; only a line
   * redrawn in place must fit), so eight checkout runs do not all read "checkout pr…".
   */
  done(detail: string): void {
    this.lastPrinted = 4;
    this.fraction = 1;
    if (this.tty) process.stderr.write('\r\x1b[K');
    Progress.drawn = false;
    process.stderr.write(
      `[${this.prefix}] ${this.label}: ${detail} (${((performance.now() - this.started) / 1000).toFixed(1)} s)\n`,
    );
  }
}

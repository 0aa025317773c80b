/** A one-line progress bar on stderr (redrawn in place on a terminal, a line per step otherwise). */
export class Progress {
  fraction = 0;
  private lastPrinted = -1;
  private readonly started = performance.now();
  private readonly tty = Boolean(process.stderr.isTTY);

  constructor(
    private readonly label: string,
    private readonly prefix = 'lab',
  ) {
    this.update(0, '');
  }

  update(fraction: number, detail: string): void {
    this.fraction = Math.max(this.fraction, Math.min(1, fraction));
    const width = 30;
    const filled = Math.round(this.fraction * width);
    const seconds = ((performance.now() - this.started) / 1000).toFixed(1);
    const line = `[${this.prefix}] ${this.label} [${'#'.repeat(filled)}${'-'.repeat(width - filled)}] ${(this.fraction * 100).toFixed(0).padStart(3)} % ${seconds} s ${detail}`;
    if (this.tty)
      process.stderr.write(`\r${line.slice(0, (process.stderr.columns ?? 120) - 1).padEnd((process.stderr.columns ?? 120) - 1)}`);
    else if (Math.floor(this.fraction * 4) > this.lastPrinted && this.fraction < 1) {
      this.lastPrinted = Math.floor(this.fraction * 4); // not a terminal: a line per quarter
      process.stderr.write(`${line}\n`);
    }
  }

  done(detail: string): void {
    if (this.tty) {
      this.update(1, detail);
      process.stderr.write('\n');
    } else {
      this.lastPrinted = 4;
      this.fraction = 1;
      process.stderr.write(
        `[${this.prefix}] ${this.label}: ${detail} (${((performance.now() - this.started) / 1000).toFixed(1)} s)\n`,
      );
    }
  }
}

/**
 * A one-line progress bar for long CLI steps (converting a 1 GB release). Redraws in
 * place on a TTY, at most ~10 times a second; when stderr is not a TTY (CI, pipes,
 * log files) it prints nothing until `done`, which writes one summary line.
 */
export class ProgressBar {
  private last = 0;
  private drawn = false;
  private readonly started = Date.now();

  constructor(
    private readonly stream: NodeJS.WriteStream = process.stderr,
    private readonly width = 30,
  ) {}

  get isTty(): boolean {
    return Boolean(this.stream.isTTY);
  }

  /** fraction in [0, 1] (or undefined for an indeterminate step) and a short message. */
  update(fraction: number | undefined, message: string): void {
    if (!this.isTty) return;
    const now = Date.now();
    if (now - this.last < 100 && fraction !== 1) return;
    this.last = now;
    const cols = this.stream.columns ?? 80;
    let line: string;
    if (fraction === undefined) line = message;
    else {
      const f = Math.min(1, Math.max(0, fraction));
      const fill = Math.round(f * this.width);
      line = `[${'#'.repeat(fill)}${'-'.repeat(this.width - fill)}] ${(f * 100).toFixed(0).padStart(3)}% ${message}`;
    }
    this.stream.write(`\r${line.slice(0, cols - 1).padEnd(Math.min(cols - 1, line.length + 2))}`);
    this.drawn = true;
  }

  /** Clears the bar; prints `summary` (if any) on its own line, on a TTY or not. */
  done(summary?: string): void {
    if (this.drawn) this.stream.write('\r\x1b[K');
    this.drawn = false;
    if (summary) this.stream.write(`${summary} (${((Date.now() - this.started) / 1000).toFixed(1)} s)\n`);
  }
}

/** A progress line on a terminal's stderr, redrawn at most 4 times a second: done, rate and time left. */
export class ProgressLine {
  private readonly started = performance.now();
  private drawn = 0;
  private shown = false;

  constructor(
    private readonly total: number,
    private readonly enabled = process.stderr.isTTY === true,
  ) {}

  update(done: number, failed: number): void {
    if (!this.enabled) return;
    const now = performance.now();
    if (now - this.drawn < 250 && done < this.total) return;
    this.drawn = now;
    const seconds = (now - this.started) / 1000;
    const rate = seconds > 0 ? done / seconds : 0;
    const left = rate > 0 ? formatDuration((this.total - done) / rate) : "…";
    process.stderr.write(
      `\r\x1b[K${done.toLocaleString("en-US")}/${this.total.toLocaleString("en-US")} rows · ${rate.toFixed(1)} rows/s · ETA ${left}${failed ? ` · ${failed} failed` : ""}`,
    );
    this.shown = true;
  }

  /** Clears the line before other output goes to stderr. */
  clear(): void {
    if (this.shown) process.stderr.write("\r\x1b[K");
    this.shown = false;
  }
}

export function formatDuration(seconds: number): string {
  const s = Math.round(seconds);
  if (s < 60) return `${s}s`;
  if (s < 3600) return `${Math.floor(s / 60)}m${String(s % 60).padStart(2, "0")}s`;
  return `${Math.floor(s / 3600)}h${String(Math.floor((s % 3600) / 60)).padStart(2, "0")}m`;
}

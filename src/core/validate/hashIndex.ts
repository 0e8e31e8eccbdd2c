/**
 * A map from 53-bit hashes to line numbers in typed arrays (open addressing): 12 bytes a row,
 * where a Map of heap-number keys costs about 50. The streaming validator keeps one entry per
 * row of a file that may hold millions.
 */
export class HashIndex {
  private high = new Uint32Array(1 << 16);
  private low = new Uint32Array(1 << 16);
  private lines = new Int32Array(1 << 16).fill(-1);
  private size = 0;

  /** The line stored for `hash`, or undefined after storing `line` for it. */
  getOrSet(hash: number, line: number): number | undefined {
    if ((this.size + 1) * 2 > this.lines.length) this.grow();
    const hi = Math.floor(hash / 4294967296) >>> 0;
    const lo = hash >>> 0;
    const mask = this.lines.length - 1;
    for (let slot = (lo ^ Math.imul(hi, 0x9e3779b1)) & mask; ; slot = (slot + 1) & mask) {
      if (this.lines[slot] === -1) {
        this.high[slot] = hi;
        this.low[slot] = lo;
        this.lines[slot] = line;
        this.size++;
        return undefined;
      }
      if (this.high[slot] === hi && this.low[slot] === lo) return this.lines[slot];
    }
  }

  private grow(): void {
    const { high, low, lines } = this;
    this.high = new Uint32Array(lines.length * 2);
    this.low = new Uint32Array(lines.length * 2);
    this.lines = new Int32Array(lines.length * 2).fill(-1);
    this.size = 0;
    for (let slot = 0; slot < lines.length; slot++) if (lines[slot] !== -1) this.getOrSet(high[slot] * 4294967296 + low[slot], lines[slot]);
  }
}

import { widened } from "./typedArrays";

/**
 * The streaming validator's near-duplicate buckets: for each band, the rows (slot numbers, in
 * the order they were added) whose key in that band is the same. Written with typed arrays
 * because a `Map` per band (17 maps of 100,000 keys) was measured a third of a whole lint: each
 * insert allocates and each lookup chases pointers. Most lookups miss the cache whatever the
 * structure, so it is kept small: a band's table holds [key + 1, first entry] per
 * open-addressing slot, and a bucket's further rows are chained through per-entry arrays, entry
 * `slot * bandCount + band`. Rows are never removed (the editor's index, which follows edits,
 * keeps maps).
 */
export class BandIndex {
  private readonly tables: Int32Array[];
  private readonly used: number[];
  /** Per entry: the next entry of its bucket (-1: none). */
  private next = new Int32Array(0);
  /** Per first entry of a bucket: its last entry and its row count. */
  private last = new Int32Array(0);
  private count = new Int32Array(0);
  /** What `touch` last read: kept, so that the compiler cannot drop its loads as unused. */
  touched = 0;

  constructor(
    private readonly bandCount: number,
    /** Rows kept per bucket: later rows with the key are still looked up, not added. */
    private readonly maxBucketRows: number,
    /**
     * Rows the caller expects: the index starts at their size, as growing to it (rehashing each
     * table, copying the entry arrays) was measured half of the index's time at 78,000 rows.
     * Without an estimate it starts small and grows as rows come: a small table stays in the cache.
     */
    expectedRows = 0,
  ) {
    let slots = 4096;
    while (expectedRows * 16 > slots * 2 * 5) slots *= 2;
    this.tables = Array.from({ length: bandCount }, () => new Int32Array(2 * slots));
    this.used = new Array<number>(bandCount).fill(0);
    if (expectedRows > 0) this.growEntries(expectedRows * bandCount);
  }

  /** Adds row `slot` under its key in each band (-1: none there). Slots come in increasing order. */
  add(slot: number, keys: ArrayLike<number>): void {
    const bandCount = this.bandCount;
    if ((slot + 1) * bandCount > this.next.length) this.growEntries((slot + 1) * bandCount);
    for (let band = 0; band < bandCount; band++) {
      const key = keys[band];
      if (key === -1) continue;
      const entry = slot * bandCount + band;
      let table = this.tables[band];
      // At most 5/8 full: linear probing stays within a cache line or two.
      if ((this.used[band] + 1) * 16 > table.length * 5) table = this.grow(band);
      const at = this.find(table, key);
      this.next[entry] = -1;
      if (table[at] === 0) {
        table[at] = key + 1;
        table[at + 1] = entry;
        this.last[entry] = entry;
        this.count[entry] = 1;
        this.used[band]++;
        continue;
      }
      const first = table[at + 1];
      if (this.count[first] >= this.maxBucketRows) continue;
      this.next[this.last[first]] = entry;
      this.last[first] = entry;
      this.count[first]++;
    }
  }

  /**
   * Reads the table position of each band's key, all at once: the loads do not wait on one
   * another, so their cache misses overlap, and the search and the insert that follow hit.
   */
  touch(keys: ArrayLike<number>): void {
    let sum = 0;
    for (let band = 0; band < this.bandCount; band++) {
      const key = keys[band];
      if (key === -1) continue;
      const table = this.tables[band];
      sum ^= table[((Math.imul(key, 0x9e3779b1) >>> 0) & ((table.length >>> 1) - 1)) << 1];
    }
    this.touched = sum;
  }

  /**
   * Writes into `into` (cleared first) the slots of the rows with `key` in `band`, oldest first,
   * at most `limit`; returns `into`.
   */
  bucket(band: number, key: number, into: number[], limit: number): number[] {
    // Most buckets are empty and so is the list: setting an array's length is a runtime call.
    if (into.length !== 0) into.length = 0;
    const table = this.tables[band];
    const at = this.find(table, key);
    if (table[at] === 0) return into;
    for (let entry = table[at + 1]; entry !== -1 && into.length < limit; entry = this.next[entry]) into.push((entry / this.bandCount) | 0);
    return into;
  }

  /** The table position holding `key`, or the empty one where it would go. */
  private find(table: Int32Array, key: number): number {
    const mask = (table.length >>> 1) - 1;
    for (let i = Math.imul(key, 0x9e3779b1) >>> 0; ; i++) {
      const at = (i & mask) << 1;
      if (table[at] === 0 || table[at] === key + 1) return at;
    }
  }

  private grow(band: number): Int32Array {
    const old = this.tables[band];
    const table = new Int32Array(old.length * 2);
    for (let at = 0; at < old.length; at += 2) {
      if (old[at] === 0) continue;
      const to = this.find(table, old[at] - 1);
      table[to] = old[at];
      table[to + 1] = old[at + 1];
    }
    this.tables[band] = table;
    return table;
  }

  private growEntries(needed: number): void {
    const length = Math.max(needed, this.next.length * 2, 4096);
    this.next = widened(this.next, length);
    this.last = widened(this.last, length);
    this.count = widened(this.count, length);
  }
}

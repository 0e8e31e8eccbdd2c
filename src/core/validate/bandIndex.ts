import { widened } from "./typedArrays";

/**
 * A table of zeros whose memory is written at once. A new array's pages are mapped on first use,
 * and a page first read (a search of an empty slot) is the shared page of zeros: the insert that
 * then writes to it maps it again, which flushes the other cores' address caches. Those faults
 * were 3% of a one-thread lint's samples (perf, 50 MB of Alpaca rows); with the tables written
 * once and no row count of its own per entry, perf finds none.
 */
const writtenTable = (length: number) => new Int32Array(length).fill(0);

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
  /**
   * Per entry: the next entry of its bucket; the last entry holds minus the bucket's row count
   * instead (a count of its own per entry was 4 bytes and a store per band and row more).
   */
  private next = new Int32Array(0);
  /** Per first entry of a bucket: its last entry. */
  private last = new Int32Array(0);
  /** What `locate` read first: kept, so that the compiler cannot drop those loads as unused. */
  touched = 0;
  /** The keys `locate` was last given, and their positions in the tables (valid while `locatedCount` is the band count). */
  private readonly locatedKeys: Int32Array;
  private readonly located: Int32Array;
  private locatedCount = -1;
  /** Whether a bucket of the keys `locate` was last given holds rows: most rows share no key with an earlier one. */
  locatedRows = false;

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
    this.locatedKeys = new Int32Array(bandCount);
    this.located = new Int32Array(bandCount);
    let slots = 4096;
    while (expectedRows * 16 > slots * 2 * 5) slots *= 2;
    this.tables = Array.from({ length: bandCount }, () => writtenTable(2 * slots));
    this.used = new Array<number>(bandCount).fill(0);
    if (expectedRows > 0) this.growEntries(expectedRows * bandCount);
  }

  /** Adds row `slot` under its key in each band (-1: none there). Slots come in increasing order. */
  add(slot: number, keys: ArrayLike<number>): void {
    const bandCount = this.bandCount;
    if ((slot + 1) * bandCount > this.next.length) this.growEntries((slot + 1) * bandCount);
    if (!this.isLocated(keys)) this.locate(keys);
    const located = this.located;
    for (let band = 0; band < bandCount; band++) {
      const key = keys[band];
      if (key === -1) continue;
      const entry = slot * bandCount + band;
      const table = this.tables[band];
      const at = located[band];
      if (table[at] === 0) {
        table[at] = key + 1;
        table[at + 1] = entry;
        this.next[entry] = -1;
        this.last[entry] = entry;
        this.used[band]++;
        continue;
      }
      const first = table[at + 1];
      const last = this.last[first];
      const rows = -this.next[last];
      if (rows >= this.maxBucketRows) continue;
      this.next[last] = entry;
      this.next[entry] = -(rows + 1);
      this.last[first] = entry;
    }
    // The tables changed: the positions are found again for the next row.
    this.locatedCount = -1;
  }

  /**
   * Finds and keeps the table position of each band's key, for the searches and the insert of
   * the row that follow, which each probed for it again. The tables grow first, so that the
   * insert's positions hold. The first probes are loaded all at once: the loads do not wait on
   * one another, so their cache misses overlap.
   */
  locate(keys: ArrayLike<number>): void {
    const bandCount = this.bandCount;
    let sum = 0;
    for (let band = 0; band < bandCount; band++) {
      const key = keys[band];
      if (key === -1) continue;
      let table = this.tables[band];
      // At most 5/8 full: linear probing stays within a cache line or two.
      if ((this.used[band] + 1) * 16 > table.length * 5) table = this.grow(band);
      sum ^= table[((Math.imul(key, 0x9e3779b1) >>> 0) & ((table.length >>> 1) - 1)) << 1];
    }
    this.touched = sum;
    let found = false;
    for (let band = 0; band < bandCount; band++) {
      const key = keys[band];
      this.locatedKeys[band] = key;
      if (key === -1) continue;
      const table = this.tables[band];
      const at = this.find(table, key);
      this.located[band] = at;
      found ||= table[at] !== 0;
    }
    this.locatedCount = bandCount;
    this.locatedRows = found;
  }

  /** Whether `locate` found the positions of these keys since the tables last changed. */
  private isLocated(keys: ArrayLike<number>): boolean {
    if (this.locatedCount !== this.bandCount) return false;
    for (let band = 0; band < this.bandCount; band++) if (this.locatedKeys[band] !== keys[band]) return false;
    return true;
  }

  /**
   * Writes into `into` (cleared first) the slots of the rows with `key` in `band`, oldest first,
   * at most `limit`; returns `into`.
   */
  bucket(band: number, key: number, into: number[], limit: number): number[] {
    // Most buckets are empty and so is the list: setting an array's length is a runtime call.
    if (into.length !== 0) into.length = 0;
    const table = this.tables[band];
    const located = key !== -1 && this.locatedCount === this.bandCount && this.locatedKeys[band] === key;
    const at = located ? this.located[band] : this.find(table, key);
    if (table[at] === 0) return into;
    for (let entry = table[at + 1]; entry >= 0 && into.length < limit; entry = this.next[entry]) into.push((entry / this.bandCount) | 0);
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
    const table = writtenTable(old.length * 2);
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
  }
}

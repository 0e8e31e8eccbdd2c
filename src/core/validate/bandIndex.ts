import { widened } from "./typedArrays";

/**
 * A table of zeros whose memory is written at once. A new array's pages are mapped on first use,
 * and a page first read (a search of an empty slot) is the shared page of zeros: the insert that
 * then writes to it maps it again, which flushes the other cores' address caches. Those faults
 * were 3% of a one-thread lint's samples (perf, 50 MB of Alpaca rows); with the tables written
 * once and no row count of its own per entry, perf finds none.
 */
const writtenTable = (length: number) => new Int32Array(length).fill(0);

/** A slot holds its bucket's first entry + 1 above an 8-bit fingerprint of its key (0: empty). */
const fingerprintBits = 8;
const fingerprintMask = (1 << fingerprintBits) - 1;
/** Entries the slots can name: 16.7 million, 980,000 rows of 17 bands (the stream indexes 100,000). */
const maxEntries = 2 ** (32 - fingerprintBits) - 1;
const fingerprintOf = (key: number) => Math.imul(key, 0x85ebca6b) >>> (32 - fingerprintBits);
const slotHash = (key: number) => Math.imul(key, 0x9e3779b1) >>> 0;
const firstEntryOf = (held: number) => (held >>> fingerprintBits) - 1;

/**
 * The streaming validator's near-duplicate buckets: for each band, the rows (slot numbers, in
 * the order they were added) whose key in that band is the same. Written with typed arrays
 * because a `Map` per band (17 maps of 100,000 keys) was measured a third of a whole lint: each
 * insert allocates and each lookup chases pointers. Each row looks up a key in every band, at
 * random in tables larger than the caches: the look-ups were a tenth of a lint, waiting on their
 * address translations. So the tables are kept small: a band's open-addressing slot is one
 * 32-bit word, its bucket's first entry and an 8-bit fingerprint of its key, whose key is read
 * (from the entry) only when the fingerprint matches; with [key, first entry] in two words,
 * `locate` took 153 ms of a one-thread lint of 50 MB, 102 ms with one. A bucket's further rows
 * are chained through per-entry arrays, entry `slot * bandCount + band`. Rows are never removed
 * (the editor's index, which follows edits, keeps maps).
 */
export class BandIndex {
  private readonly tables: Int32Array[];
  private readonly used: number[];
  /**
   * Per entry: the next entry of its bucket; the last entry holds minus the bucket's row count
   * instead (a count of its own per entry was 4 bytes and a store per band and row more).
   */
  private next = new Int32Array(0);
  /** Per first entry of a bucket: its last entry and its key. */
  private last = new Int32Array(0);
  private keyOf = new Int32Array(0);
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
    while (expectedRows * 8 > slots * 5) slots *= 2;
    this.tables = Array.from({ length: bandCount }, () => writtenTable(slots));
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
      const held = table[at];
      if (held === 0) {
        table[at] = ((entry + 1) << fingerprintBits) | fingerprintOf(key);
        this.next[entry] = -1;
        this.last[entry] = entry;
        this.keyOf[entry] = key;
        this.used[band]++;
        continue;
      }
      const first = firstEntryOf(held);
      const last = this.last[first];
      const rows = -this.next[last];
      if (rows >= this.maxBucketRows) continue;
      this.next[last] = entry;
      this.next[entry] = -(rows + 1);
      this.last[first] = entry;
    }
    // The tables changed: the slots are found again for the next row.
    this.locatedCount = -1;
  }

  /**
   * Finds and keeps the slot of each band's key, for the searches and the insert of the row that
   * follow, which each probed for it again. The tables grow first, so that the insert's slots
   * hold. The first probes are loaded all at once: the loads do not wait on one another, so
   * their cache misses overlap.
   */
  locate(keys: ArrayLike<number>): void {
    const bandCount = this.bandCount;
    let sum = 0;
    for (let band = 0; band < bandCount; band++) {
      const key = keys[band];
      if (key === -1) continue;
      let table = this.tables[band];
      // At most 5/8 full: linear probing stays within a cache line or two.
      if ((this.used[band] + 1) * 8 > table.length * 5) table = this.grow(band);
      sum ^= table[slotHash(key) & (table.length - 1)];
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

  /** Whether `locate` found the slots of these keys since the tables last changed. */
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
    const held = table[located ? this.located[band] : this.find(table, key)];
    if (held === 0) return into;
    for (let entry = firstEntryOf(held); entry >= 0 && into.length < limit; entry = this.next[entry]) into.push((entry / this.bandCount) | 0);
    return into;
  }

  /** The slot holding `key`, or the empty one where it would go: the key is read only where the fingerprint matches. */
  private find(table: Int32Array, key: number): number {
    const mask = table.length - 1;
    const fingerprint = fingerprintOf(key);
    for (let i = slotHash(key); ; i++) {
      const at = i & mask;
      const held = table[at];
      if (held === 0 || ((held & fingerprintMask) === fingerprint && this.keyOf[firstEntryOf(held)] === key)) return at;
    }
  }

  private grow(band: number): Int32Array {
    const old = this.tables[band];
    const table = writtenTable(old.length * 2);
    for (let at = 0; at < old.length; at++) {
      if (old[at] === 0) continue;
      table[this.find(table, this.keyOf[firstEntryOf(old[at])])] = old[at];
    }
    this.tables[band] = table;
    return table;
  }

  private growEntries(needed: number): void {
    if (needed > maxEntries) throw new RangeError(`the near-duplicate index holds at most ${maxEntries} keys`);
    const length = Math.min(maxEntries, Math.max(needed, this.next.length * 2, 4096));
    this.next = widened(this.next, length);
    this.last = widened(this.last, length);
    this.keyOf = widened(this.keyOf, length);
  }
}

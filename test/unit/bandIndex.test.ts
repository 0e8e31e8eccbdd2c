import assert from "node:assert/strict";
import { describe, it } from "node:test";
import fc from "fast-check";
import { BandIndex } from "../../src/core/validate/bandIndex";
import { endSlab, releaseVectors, reuseSlabs, rowVector, slabMark } from "../../src/core/validate/rowVectors";

/** What the index must answer, kept with a Map per band. */
class MapIndex {
  private readonly maps: Array<Map<number, number[]>>;
  constructor(
    bands: number,
    private readonly maxBucketRows: number,
  ) {
    this.maps = Array.from({ length: bands }, () => new Map());
  }
  add(slot: number, keys: number[]): void {
    keys.forEach((key, band) => {
      if (key === -1) return;
      const list = this.maps[band].get(key) ?? [];
      if (list.length < this.maxBucketRows) list.push(slot);
      this.maps[band].set(key, list);
    });
  }
  bucket(band: number, key: number, limit: number): number[] {
    return (this.maps[band].get(key) ?? []).slice(0, limit);
  }
}

describe("the stream's bucket index (BandIndex)", () => {
  const sameAnswers = (rows: number[][], limit: number, maxBucketRows: number, expectedRows = 0) => {
    const index = new BandIndex(3, maxBucketRows, expectedRows);
    const reference = new MapIndex(3, maxBucketRows);
    const into: number[] = [];
    rows.forEach((keys, slot) => {
      for (let band = 0; band < 3; band++) {
        if (keys[band] === -1) continue;
        assert.deepEqual(index.bucket(band, keys[band], into, limit), reference.bucket(band, keys[band], limit));
      }
      index.locate(keys);
      // What lets the search skip a row that shares no bucket with an earlier one.
      assert.equal(
        index.locatedRows,
        keys.some((key, band) => key !== -1 && reference.bucket(band, key, 1).length > 0),
      );
      index.add(slot, keys);
      reference.add(slot, keys);
    });
  };

  it("answers as a Map per band would: rows in the order added, at most the bucket's cap and the limit asked", () => {
    fc.assert(
      fc.property(
        // Few distinct keys make buckets that reach their cap.
        fc.array(
          fc.array(fc.oneof(fc.constant(-1), fc.integer({ min: 0, max: 3 }), fc.integer({ min: 0, max: 2 ** 30 - 1 })), { minLength: 3, maxLength: 3 }),
          {
            minLength: 50,
            maxLength: 400,
          },
        ),
        fc.integer({ min: 1, max: 12 }),
        // The caller's estimate of the rows, under or over the count: it sizes the index, never changes an answer.
        fc.oneof(fc.constant(0), fc.integer({ min: 1, max: 5000 })),
        (rows, limit, expectedRows) => sameAnswers(rows, limit, 8, expectedRows),
      ),
      { numRuns: 60 },
    );
  });

  it("keeps every answer through the growth of its tables and entry arrays (30,000 rows)", () => {
    let state = 7;
    const next = () => (state = (Math.imul(state, 1664525) + 1013904223) >>> 0) >>> 2;
    const rows = Array.from({ length: 30_000 }, (_, i) => [next(), i % 7 === 0 ? next() % 50 : next(), i % 5 === 0 ? -1 : next()]);
    sameAnswers(rows, 64, 1000);
    // Sized for the rows from the start, and sized for a third of them, then grown.
    sameAnswers(rows, 64, 1000, 30_000);
    sameAnswers(rows, 64, 1000, 10_000);
  });

  it("says so when more keys are added than its slots can name, rather than mix them up", () => {
    const index = new BandIndex(17, 10);
    index.add(
      0,
      Array.from({ length: 17 }, (_, band) => band),
    );
    assert.throws(
      () =>
        index.add(
          1_000_000,
          Array.from({ length: 17 }, (_, band) => band + 100),
        ),
      RangeError,
    );
  });

  it("a key never added has an empty bucket, and the answer is written into the list it is given", () => {
    const index = new BandIndex(2, 10);
    index.add(0, [5, -1]);
    const into = [99, 98];
    assert.equal(index.bucket(0, 6, into, 10), into);
    assert.deepEqual(into, []);
    assert.deepEqual(index.bucket(1, 5, into, 10), []);
    assert.deepEqual(index.bucket(0, 5, into, 10), [0]);
  });
});

describe("row vectors cut from slabs", () => {
  it("are zeroed and do not overlap; after endSlab, later vectors share no buffer with earlier ones", () => {
    const a = rowVector(100);
    const b = rowVector(50);
    assert.ok(a.every((x) => x === 0) && b.every((x) => x === 0));
    a.fill(7);
    assert.ok(b.every((x) => x === 0));
    endSlab();
    const c = rowVector(10);
    assert.equal(a.buffer, b.buffer);
    assert.notEqual(c.buffer, a.buffer);
    assert.equal(new Set([a.buffer, b.buffer, c.buffer]).size, 2);
  });

  it("a slab handed back is cut again, zeroed, before a new one is made; a buffer of another size is not taken", () => {
    endSlab();
    const first = rowVector(10);
    first.fill(9);
    const used = first.buffer as ArrayBuffer;
    endSlab();
    reuseSlabs([new ArrayBuffer(64), used]);
    const again = rowVector(20);
    assert.equal(again.buffer, used);
    assert.ok(again.every((x) => x === 0));
    endSlab();
    assert.notEqual(rowVector(5).buffer, used, "a spare slab is cut once");
  });

  it("the space of vectors released is cut again, zeroed; not when something was cut after them", () => {
    endSlab();
    const kept = rowVector(3).fill(1);
    const from = slabMark();
    const released = rowVector(40).fill(5);
    const to = slabMark();
    releaseVectors(from, to);
    const next = rowVector(40);
    assert.equal(next.buffer, released.buffer);
    assert.equal(next.byteOffset, released.byteOffset);
    assert.ok(next.every((x) => x === 0));
    assert.ok(
      kept.every((x) => x === 1),
      "vectors cut before the mark keep their values",
    );
    const from2 = slabMark();
    const row = rowVector(10).fill(2);
    const to2 = slabMark();
    const later = rowVector(10).fill(3);
    releaseVectors(from2, to2);
    assert.ok(row.every((x) => x === 2) && later.every((x) => x === 3));
    assert.notEqual(rowVector(1).byteOffset, row.byteOffset);
  });

  it("vectors released after a row started a new slab free that slab from its start", () => {
    const left = () => (1 << 16) - (slabMark() % (1 << 16));
    rowVector(1);
    while (left() >= 500) rowVector(Math.min(4000, left() - 499));
    const from = slabMark();
    const first = rowVector(500);
    const to = slabMark();
    assert.equal(first.byteOffset, 0, "the row's vector starts a new slab");
    releaseVectors(from, to);
    assert.equal(rowVector(8).byteOffset, 0);
  });

  it("a long vector gets an array of its own, so no slab is held for one big row", () => {
    const big = rowVector(1 << 15);
    assert.equal(big.byteOffset, 0);
    assert.equal(big.buffer.byteLength, (1 << 15) * 4);
  });
});

import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { VectorColumn } from "../../src/core/validate/vectorColumn";
import { rowVector } from "../../src/core/validate/rowVectors";

describe("VectorColumn", () => {
  it("gives back each slot's vector, or none, across slabs, arrays of their own and growth", () => {
    const column = new VectorColumn();
    const pushed: Array<number[] | undefined> = [];
    for (let slot = 0; slot < 5_000; slot++) {
      // Slab vectors of every length, none, an empty one, and now and then one too long for a slab.
      const length = slot % 97 === 0 ? 5_000 : slot % 13 === 0 ? 0 : (slot * 7) % 140;
      if (slot % 11 === 0) {
        column.push(undefined);
        pushed.push(undefined);
        continue;
      }
      const vector = rowVector(length);
      for (let i = 0; i < length; i++) vector[i] = (slot * 31 + i) >>> 0;
      column.push(vector);
      pushed.push([...vector]);
    }
    assert.equal(column.size, pushed.length);
    for (let slot = 0; slot < pushed.length; slot++) {
      const vector = column.at(slot);
      assert.deepEqual(vector && [...vector], pushed[slot], `slot ${slot}`);
    }
  });
});

import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { findLongLines } from "../../src/core/jsonl/longLines";

describe("findLongLines", () => {
  it("counts lines over the limit, ignoring a CR before the LF", () => {
    const text = ["short", "x".repeat(12), "y".repeat(10) + "\r", "z".repeat(20)].join("\n");
    assert.deepEqual(findLongLines(text, 10), { count: 2, longest: 20, firstLine: 1 });
  });

  it("finds none in a file of short lines", () => {
    assert.deepEqual(findLongLines('{"a":1}\n{"b":2}\n', 100), { count: 0, longest: 7, firstLine: -1 });
  });
});

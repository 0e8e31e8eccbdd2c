// The CLI lints a file a batch of lines at a time; the editor's validation of a file on disk and
// JSON arrays go a line at a time. Both must sample the format from the same rows, lose and repeat
// none of them, and find the same.
import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { readLineBatches, readLines } from "../../src/core/jsonl/lineReader";
import type { Diagnostic } from "../../src/core/lint/diagnostic";
import { formatSampleRows } from "../../src/core/validate/documentValidator";
import { validateLineBatches, validateLines } from "../../src/core/validate/streamValidator";

async function* chunksOf(bytes: Uint8Array, size: number): AsyncGenerator<Uint8Array> {
  for (let at = 0; at < bytes.length; at += size) yield bytes.subarray(at, at + size);
}

async function collect(found: AsyncIterable<Diagnostic>): Promise<Diagnostic[]> {
  const all: Diagnostic[] = [];
  for await (const d of found) all.push(d);
  return all;
}

// Each row has a finding of its own (a placeholder input, whitespace around a reply), so a row
// lost or read twice changes what is found.
const alpaca = (i: number) => JSON.stringify({ instruction: `Write task number ${i}.`, input: "N/A", output: `Answer number ${i}.` });
const sharegpt = (i: number) =>
  JSON.stringify({
    conversations: [
      { from: "human", value: `Question number ${i}?` },
      { from: "gpt", value: ` Reply number ${i}. ` },
    ],
  });

describe("validating a batch of lines at a time", () => {
  it("finds what validating line by line finds, wherever the format sample ends within a batch", async () => {
    // ShareGPT has the majority of the sample; each Alpaca row is then of another format.
    const sampled = [...Array.from({ length: 499 }, (_, i) => alpaca(i)), ...Array.from({ length: formatSampleRows - 499 }, (_, i) => sharegpt(i))];
    const rows = [...sampled, "", ...Array.from({ length: 300 }, (_, i) => alpaca(1000 + i)), sharegpt(7)];
    const bytes = new TextEncoder().encode(`${rows.join("\n")}\n`);
    const lineByLine = await collect(validateLines(readLines(chunksOf(bytes, bytes.length))));
    // Every row read once: one finding of each kind a row, the one duplicate the last row.
    const count = (rule: string) => lineByLine.filter((d) => d.rule === rule).length;
    assert.equal(count("mixed-formats"), 799);
    assert.equal(count("placeholder-input"), 799);
    assert.equal(count("surrounding-whitespace"), formatSampleRows - 499 + 1);
    assert.deepEqual(
      lineByLine.filter((d) => d.rule === "duplicate-row").map((d) => d.line),
      [rows.length - 1],
    );
    for (const size of [bytes.length, 65_536, 4_096, 333, 7]) {
      const batched = await collect(validateLineBatches(readLineBatches(chunksOf(bytes, size))));
      assert.deepEqual(batched, lineByLine, `chunks of ${size} bytes`);
    }
  });

  it("tells the format its sample when the file is shorter than the sample", async () => {
    const bytes = new TextEncoder().encode([alpaca(1), alpaca(2), sharegpt(3)].join("\n"));
    let format: string | undefined;
    const found = await collect(validateLineBatches(readLineBatches(chunksOf(bytes, 10)), {}, (sample) => (format = sample.format)));
    assert.equal(format, "alpaca");
    assert.deepEqual(found, await collect(validateLines(readLines(chunksOf(bytes, 10)))));
  });
});

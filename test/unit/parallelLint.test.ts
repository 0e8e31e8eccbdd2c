import assert from "node:assert/strict";
import { createReadStream, mkdtempSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { describe, it } from "node:test";
import { lintInParallel, parallelMinBytes, parallelThresholdBytes, twoCoreParallelMinBytes } from "../../src/cli/parallelLint";
import { readLines } from "../../src/core/jsonl/lineReader";
import type { Diagnostic } from "../../src/core/lint/diagnostic";
import { validateLines } from "../../src/core/validate/streamValidator";
import { repoRoot } from "../launch/paths";

const workerScript = join(repoRoot, "out", "lint-worker.js");
const dir = mkdtempSync(join(tmpdir(), "instruct-studio-parallel-"));

async function collect(findings: AsyncIterable<Diagnostic>): Promise<Diagnostic[]> {
  const out: Diagnostic[] = [];
  for await (const d of findings) out.push(d);
  return out;
}

/** About 20 MB of Alpaca rows with every kind of cross-row and per-row problem spread through it. */
function corpus(): string {
  const words = "the model reads every row of the dataset and learns what the answer looks like when the question asks for a list".split(" ");
  let seed = 7;
  const random = () => (seed = (seed * 1103515245 + 12345) % 2 ** 31) / 2 ** 31;
  const sentence = (n: number) => Array.from({ length: n }, () => words[Math.floor(random() * words.length)]).join(" ");
  const lines: string[] = [];
  let bytes = 0;
  for (let i = 0; bytes < 20 * 1024 * 1024; i++) {
    const row = JSON.stringify({ instruction: `${i}: ${sentence(12)}`, input: i % 3 ? "" : sentence(20), output: sentence(60 + (i % 40)) });
    lines.push(row);
    if (i % 997 === 5) lines.push(lines[lines.length - 2]);
    if (i % 1511 === 0) lines.push(JSON.stringify({ instruction: `near ${i}: ${sentence(12)}`, output: "" }));
    if (i % 2003 === 0) lines.push('{"instruction": "bad" "output": "y"}');
    if (i % 3001 === 0) lines.push("");
    if (i % 4001 === 0)
      lines.push(
        JSON.stringify({
          conversations: [
            { from: "human", value: "hi" },
            { from: "gpt", value: "hello" },
          ],
        }),
      );
    if (i % 5003 === 0) lines.push(`${lines[lines.length - 1].slice(0, -2)} again"}`);
    bytes += row.length + 1;
  }
  return `\uFEFF${lines.join("\n")}\r\n${JSON.stringify({ instruction: "last", output: "row" })}`;
}

describe("lint on every core", () => {
  it("gives exactly the sequential lint's findings, in the same order, over chunk boundaries", async () => {
    const file = join(dir, "corpus.jsonl");
    writeFileSync(file, corpus());
    const sequential = await collect(validateLines(readLines(createReadStream(file))));
    const parallel = await collect(lintInParallel(file, {}, workerScript));
    assert.ok(sequential.length > 100, `${sequential.length} findings`);
    for (const rule of ["duplicate-row", "near-duplicate", "empty-output", "syntax", "blank-line", "mixed-formats"])
      assert.ok(
        sequential.some((d) => d.rule === rule),
        rule,
      );
    assert.equal(parallel.length, sequential.length);
    assert.deepEqual(parallel, sequential);
  });

  it("gives the same findings once the near-duplicate index is full and the slabs of later rows are handed back to be cut again", async () => {
    // Seven 4 MB chunks: the index fills in the second (a worker's), whose rows' vectors must outlive the reuse of later
    // chunks' slabs, on the worker and on this thread; rows of the fifth to seventh are near duplicates of indexed rows.
    const words =
      "river stone lamp garden window paper music winter orange silver castle forest letter bridge candle mirror harbor meadow valley cloud thunder copper velvet lantern compass anchor feather marble pepper saddle ticket violin".split(
        " ",
      );
    let seed = 11;
    const word = () => {
      seed ^= seed << 13;
      seed ^= seed >>> 17;
      seed ^= seed << 5;
      return words[(seed >>> 0) % words.length];
    };
    const sentence = (n: number) => Array.from({ length: n }, word).join(" ");
    const rows: Array<{ instruction: string; output: string }> = [];
    const lines: string[] = [];
    for (let bytes = 0, i = 0; bytes < 27 * 1024 * 1024; i++) {
      const late = i > 34_000 && i % 10 === 0;
      const row = late ? { ...rows[9_000 + (i % 3_000)] } : { instruction: sentence(40), output: sentence(30) };
      if (late) row.instruction = `${row.instruction.slice(0, row.instruction.lastIndexOf(" "))} ${word()} ${word()}`;
      rows.push(row);
      lines.push(JSON.stringify(row));
      bytes += lines[lines.length - 1].length + 1;
    }
    const file = join(dir, "index-full.jsonl");
    writeFileSync(file, lines.join("\n"));
    const options = { nearDuplicateIndexRows: 12_000 };
    const sequential = await collect(validateLines(readLines(createReadStream(file)), options));
    const parallel = await collect(lintInParallel(file, options, workerScript));
    const near = sequential.filter((d) => d.rule === "near-duplicate");
    assert.ok(near.length > 100, `${near.length} near duplicates`);
    assert.ok(near.some((d) => d.line > 45_000 && d.related![0].line >= 9_000));
    assert.deepEqual(parallel, sequential);
  });

  it("lints by itself, with the same findings, what a thread that failed did not hand back", async () => {
    const file = join(dir, "corpus-for-failures.jsonl");
    writeFileSync(file, corpus());
    const sequential = await collect(validateLines(readLines(createReadStream(file))));
    // One worker never loads; the other analyses two chunks and stops on the third, with chunks
    // this thread took ahead and chunks the worker was still holding both left to place.
    const neverLoads = join(dir, "never-loads.js");
    writeFileSync(neverLoads, 'throw new Error("this worker cannot load");');
    const stopsOnThird = join(dir, "stops-on-third.js");
    writeFileSync(
      stopsOnThird,
      `let chunks = 0;
      require("node:worker_threads").parentPort.on("message", () => { if (++chunks === 3) process.exit(3); });
      require(${JSON.stringify(workerScript)});`,
    );
    const notes: string[] = [];
    const write = process.stderr.write;
    process.stderr.write = ((text: string) => notes.push(text) > 0) as typeof process.stderr.write;
    try {
      for (const script of [neverLoads, stopsOnThird]) {
        notes.length = 0;
        assert.deepEqual(await collect(lintInParallel(file, {}, script)), sequential, script);
        assert.equal(notes.length, 1, notes.join(""));
        assert.match(notes[0], /^note: a lint thread failed \(.+\); lines from \d+ on are linted on one thread\n$/);
      }
    } finally {
      process.stderr.write = write;
    }
  });

  it("two cores lint on both from 24 MB, more cores from 16 MB, and threads asked for from 16 MB on any machine", () => {
    assert.equal(parallelThresholdBytes(2, undefined), twoCoreParallelMinBytes);
    assert.equal(parallelThresholdBytes(1, undefined), twoCoreParallelMinBytes);
    assert.equal(parallelThresholdBytes(4, undefined), parallelMinBytes);
    assert.equal(parallelThresholdBytes(2, 2), parallelMinBytes);
    assert.ok(twoCoreParallelMinBytes > parallelMinBytes);
  });
});

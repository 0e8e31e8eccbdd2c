import assert from "node:assert/strict";
import { createReadStream, mkdtempSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { describe, it } from "node:test";
import { lintInParallel } from "../../src/cli/parallelLint";
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
});

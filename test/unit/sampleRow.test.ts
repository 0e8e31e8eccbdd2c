// The format sample reads each of a file's first rows for its format alone (sampleRow); the rows
// are analysed in full when the lint reaches them. What it reads must be what the full analysis
// finds, or the file's format (and every finding after it) would change.
import assert from "node:assert/strict";
import { readdirSync, readFileSync } from "node:fs";
import { join } from "node:path";
import { describe, it } from "node:test";
import { analyzeRow, sampleRow, ValidationOptions } from "../../src/core/validate/analyzeRow";
import { repoRoot } from "../launch/paths";

// The samples `npm start` opens and the test fixtures: every format, and rows with every problem.
const folders = [join(repoRoot, "samples"), join(repoRoot, "test", "fixtures")];
const fixtureLines = folders.flatMap((folder) =>
  readdirSync(folder)
    .filter((name) => name.endsWith(".jsonl"))
    .flatMap((name) => readFileSync(join(folder, name), "utf8").split("\n")),
);
const crafted = [
  '\ufeff{"instruction": "a", "output": "b"}',
  '{"instruction": "a", "output": "b"}\r',
  "",
  "   \t",
  '{"instruction": "a" "output": "b"}',
  '{"instruction": "a", "output": "b",}',
  "[1, 2]",
  '"text"',
  "null",
  '{"id": 7, "score": 0.5}',
  '{"messages": "not a list"}',
  `${"[".repeat(5000)}${"]".repeat(5000)}`,
  `{"a": ${"[".repeat(300)}${"]".repeat(300)}}`,
  // Past the depth the analysis reads: not read, whatever its keys.
  `{"instruction": "a", "output": "b", "x": ${"[".repeat(5000)}${"]".repeat(5000)}}`,
  '{"conversations": [{"from": "human", "value": "q"}, {"from": "gpt", "value": "a"}]}',
  '{"prompt": "p", "chosen": "c", "rejected": "r"}',
  // A chat layout of the configuration's own (a format only with that layout).
  '{"dialog": [{"speaker": "user", "text": "q"}, {"speaker": "assistant", "text": "a"}]}',
];

const sampled = (line: string, at: number, options: ValidationOptions) => {
  const { kind, format, keys } = sampleRow(line, at, options);
  return { kind, format, keys };
};
const analysed = (line: string, at: number, options: ValidationOptions) => {
  const { kind, format, keys } = analyzeRow(line, at, undefined, options);
  return { kind, format, keys };
};

describe("the format sample's reading of a row", () => {
  it("finds what the full analysis finds: blank, invalid or a row, its own format, and the keys of a row with none", () => {
    const lines = [...fixtureLines, ...crafted];
    assert.ok(lines.length > 60);
    const layouts: ValidationOptions[] = [{}, { layout: { field: "dialog", roleKey: "speaker", contentKey: "text" } }];
    for (const options of layouts) {
      lines.forEach((line, i) => {
        for (const at of [0, i + 1]) assert.deepEqual(sampled(line, at, options), analysed(line, at, options), JSON.stringify(line.slice(0, 80)));
      });
    }
    const kinds = new Set(lines.map((line, i) => sampled(line, i + 1, {}).kind));
    assert.deepEqual([...kinds].sort(), ["blank", "invalid", "row"]);
  });
});

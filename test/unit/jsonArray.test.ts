import assert from "node:assert/strict";
import { spawnSync } from "node:child_process";
import { readFileSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { describe, it } from "node:test";
import fc from "fast-check";
import { ArrayElement, ArrayItem, readArrayElementBatches, readArrayElements } from "../../src/core/jsonArray/arrayElements";
import { jsonFileHoldsJsonLines, looksLikeJsonArray, looksLikeJsonDocument } from "../../src/core/jsonArray/arrayDetection";
import { validateArrayItems } from "../../src/core/jsonArray/validateArray";
import { readLines } from "../../src/core/jsonl/lineReader";
import type { Diagnostic } from "../../src/core/lint/diagnostic";
import { validateLines } from "../../src/core/validate/streamValidator";
import { repoRoot } from "../launch/paths";
import { scratchDir } from "./scratchDir";

const cli = join(repoRoot, "out", "cli.js");
const dir = scratchDir("instruct-studio-array-");

async function* chunksOf(bytes: Uint8Array, sizes: number[] = [bytes.length]): AsyncGenerator<Uint8Array> {
  let at = 0;
  for (let i = 0; at < bytes.length; i++) {
    const size = Math.max(1, sizes[i % sizes.length]);
    yield bytes.slice(at, at + size);
    at += size;
  }
}

async function collect<T>(items: AsyncIterable<T>): Promise<T[]> {
  const out: T[] = [];
  for await (const item of items) out.push(item);
  return out;
}

const encode = (text: string) => new TextEncoder().encode(text);
const read = (text: string, sizes?: number[]) => collect(readArrayElements(chunksOf(encode(text), sizes)));
const lint = (text: string) => collect(validateArrayItems(readArrayElementBatches(chunksOf(encode(text)))));
const elements = (items: ArrayItem[]) => items.filter((i): i is ArrayElement => i.kind === "element");

/** The text a span covers, with the editor's line breaks (\n, \r\n, lone \r). */
function textAt(text: string, d: { line: number; column: number; endLine: number; endColumn: number }): string {
  const lines = text.split(/(?<=\r\n|\r(?!\n)|\n)/);
  const offset = (line: number, column: number) => lines.slice(0, line).reduce((n, l) => n + l.length, 0) + column;
  return text.slice(offset(d.line, d.column), offset(d.endLine, d.endColumn));
}

const rows = [
  { instruction: "Give three tips for staying healthy.", input: "", output: "1. Eat well.\n2. Sleep.\n3. Exercise." },
  { instruction: "What is the capital of France?", input: "", output: "" },
  { instruction: "Give three tips for staying healthy.", input: "", output: "1. Eat well.\n2. Sleep.\n3. Exercise." },
  { instruction: "Translate to Korean 😀: good <b>morning</b>", input: "", outptu: "좋은 아침" },
];

describe("JSON-array datasets: elements read as rows", () => {
  it("finds the same problems as the same rows in JSON Lines, each at its place in the pretty-printed file", async () => {
    const pretty = JSON.stringify(rows, null, 4);
    const fromArray = await lint(pretty);
    const fromJsonl = await collect(validateLines(readLines(chunksOf(encode(rows.map((r) => JSON.stringify(r)).join("\n"))))));
    const summary = (ds: Diagnostic[]) => ds.map((d) => `${d.rule} ${d.message}`).sort();
    assert.deepEqual(summary(fromArray), summary(fromJsonl));
    assert.ok(fromArray.length >= 4);
    const at = (rule: string) => fromArray.find((d) => d.rule === rule)!;
    assert.equal(textAt(pretty, at("empty-output")), '""');
    assert.equal(at("empty-output").line, 9);
    assert.equal(textAt(pretty, at("unknown-key")), '"outptu"');
    assert.equal(at("unknown-key").line, 19);
    // Findings come in file order.
    const places = fromArray.map((d) => d.line * 1e6 + d.column);
    assert.deepEqual(
      places,
      [...places].sort((a, b) => a - b),
    );
  });

  it("places a near-duplicate group's finding and each of its rows on whole elements, after the other findings", async () => {
    const story = "Write a short story about a brave little robot who learns to paint sunsets over the quiet harbour town";
    const group = [
      { instruction: story, input: "", output: "ok" },
      { instruction: "Name three rivers of Africa and the countries each of them flows through", input: "", output: "ok" },
      { instruction: `${story} tonight`, input: "", output: "ok" },
      { instruction: `${story} again`, input: "", output: "ok" },
      { instruction: "What is the capital of France?", input: "", output: "" },
    ];
    const pretty = JSON.stringify(group, null, 2);
    const texts = elements(await read(pretty)).map((e) => e.text);
    const found = await lint(pretty);
    assert.deepEqual(
      found.map((d) => d.rule),
      ["empty-output", "near-duplicate"],
    );
    const near = found[1];
    assert.equal(textAt(pretty, near), texts[2]);
    assert.deepEqual(
      near.related!.map((r) => textAt(pretty, r)),
      [texts[0], texts[3]],
    );
  });

  it("places columns in UTF-16 units on a minified one-line array, after a BOM and emoji", async () => {
    const text = `\uFEFF[${JSON.stringify({ instruction: "😀😀 hi", output: "x" })},${JSON.stringify({ instruction: "😀 q", output: "" })}]`;
    const found = await lint(text);
    const empty = found.find((d) => d.rule === "empty-output")!;
    assert.equal(empty.line, 0);
    assert.equal(textAt(text.slice(1), { ...empty, column: empty.column, endColumn: empty.endColumn }), '""');
  });

  it("keeps positions exact with CRLF line ends, whatever the chunk boundaries", async () => {
    const text = JSON.stringify(rows, null, 2).replace(/\n/g, "\r\n");
    const whole = await read(text);
    await fc.assert(
      fc.asyncProperty(fc.array(fc.integer({ min: 1, max: 97 }), { minLength: 1, maxLength: 8 }), async (sizes) => {
        assert.deepEqual(await read(text, sizes), whole);
      }),
      { numRuns: 60 },
    );
    const found = await lint(text);
    assert.equal(
      textAt(
        text,
        found.find((d) => d.rule === "unknown-key")!,
      ),
      '"outptu"',
    );
    for (const element of elements(whole))
      assert.equal(
        textAt(text, { line: element.start.line, column: element.start.column, endLine: element.end.line, endColumn: element.end.column }),
        element.text,
      );
  });

  it("gives every element of any array its exact text and place, read whole, a chunk at a time or a byte at a time", async () => {
    // Strings with escapes, quotes, backslashes, emoji and line breaks in them; compact,
    // indented and CRLF layouts: each element is read as its text where it stands in the file.
    const value = fc.jsonValue({ maxDepth: 2 });
    const layout = fc.constantFrom(
      (rows: unknown[]) => JSON.stringify(rows),
      (rows: unknown[]) => JSON.stringify(rows, null, 4),
      (rows: unknown[]) => `\uFEFF${JSON.stringify(rows, null, 2).replace(/\n/g, "\r\n")}`,
      (rows: unknown[]) => `[\r${rows.map((row) => `  ${JSON.stringify(row)}`).join(",\r")}\r]`,
    );
    const withText = fc.record({ instruction: fc.string({ unit: "grapheme" }), output: fc.constantFrom('say "hi" \\ then\nbye', "😀\r\n한국어", "") });
    await fc.assert(
      fc.asyncProperty(
        fc.array(fc.oneof(value, withText), { maxLength: 8 }),
        layout,
        fc.array(fc.integer({ min: 1, max: 29 }), { minLength: 1, maxLength: 4 }),
        async (rowsOfArray, write, sizes) => {
          const text = write(rowsOfArray);
          const whole = await read(text);
          const found = elements(whole);
          assert.deepEqual(
            found.map((element) => JSON.parse(element.text) as unknown),
            JSON.parse(JSON.stringify(rowsOfArray)),
          );
          const inFile = text.replace(/^\uFEFF/, "");
          for (const element of found)
            assert.equal(
              textAt(inFile, { line: element.start.line, column: element.start.column, endLine: element.end.line, endColumn: element.end.column }),
              element.text,
            );
          assert.deepEqual(await read(text, sizes), whole);
          assert.deepEqual(await read(text, [1]), whole);
          assert.deepEqual((await collect(readArrayElementBatches(chunksOf(encode(text), sizes)))).flat(), whole);
        },
      ),
      { numRuns: 300 },
    );
  });

  it("deletes a duplicate with one separating comma, so the array stays valid JSON (first, middle and last elements)", async () => {
    const text = JSON.stringify([{ a: 1 }, { b: 2 }, { c: 3 }], null, 2);
    const items = elements(await read(text));
    for (const [i, element] of items.entries()) {
      const { start, end } = element.removal;
      const before = textAt(text, { line: 0, column: 0, endLine: start.line, endColumn: start.column });
      const after = text.slice(before.length + textAt(text, { line: start.line, column: start.column, endLine: end.line, endColumn: end.column }).length);
      const left = JSON.parse(before + after) as object[];
      assert.equal(left.length, 2);
      assert.ok(!left.some((row) => JSON.stringify(row) === JSON.stringify([{ a: 1 }, { b: 2 }, { c: 3 }][i])));
    }
    const duplicate = (await lint(JSON.stringify([rows[0], rows[1], rows[0]], null, 2))).find((d) => d.rule === "duplicate-row")!;
    assert.equal(duplicate.message, "Duplicate of row 1.");
    assert.equal(duplicate.related?.[0].line, 1);
  });

  it("reports what is wrong between elements where it is, and reads on", async () => {
    const missingComma = '[\n  {"instruction": "a", "output": "b"}\n  {"instruction": "c", "output": ""}\n]';
    const found = await lint(missingComma);
    assert.deepEqual(
      found.filter((d) => d.rule === "syntax").map((d) => [d.line, d.column, d.message]),
      [[2, 2, "Comma expected between elements."]],
    );
    assert.ok(
      found.some((d) => d.rule === "empty-output" && d.line === 2),
      "the element after the missing comma is still read",
    );

    const trailing = '[\n  {"instruction": "a", "output": "b"},\n]';
    const comma = (await lint(trailing)).find((d) => d.rule === "syntax")!;
    assert.equal(comma.message, "Trailing comma before ]: JSON does not allow it.");
    assert.deepEqual(comma.fix?.edits, [{ line: 1, column: 37, endLine: 1, endColumn: 38, newText: "" }]);

    assert.deepEqual(
      (await lint('[{"instruction": "a", "output": "b"}] {}')).map((d) => d.message),
      ["Text after the array's closing ]: a JSON file holds one value."],
    );
    const truncated = await lint('[\n  {"instruction": "a", "output": "b"},\n  {"instruction": "c", "out');
    assert.ok(truncated.some((d) => d.message === "Closing bracket expected: the file ends inside the array."));
    assert.ok(
      truncated.some((d) => d.rule === "syntax" && d.line === 2 && d.message !== "Closing bracket expected: the file ends inside the array."),
      "the cut element's own error",
    );
    assert.deepEqual(await lint("   "), [
      { line: 0, column: 3, endLine: 0, endColumn: 4, severity: "error", rule: "syntax", message: "This JSON file is empty: an array of rows was expected." },
    ]);
    const notObjects = await lint('["a", 1, null]');
    assert.deepEqual(
      notObjects.map((d) => [d.rule, d.column]),
      [
        ["not-object", 1],
        ["not-object", 6],
        ["not-object", 9],
      ],
    );
  });

  it("skips an element over the row limit without holding it, and says so at its line", async () => {
    const big = JSON.stringify({ instruction: "x".repeat(5000), output: "y" });
    const text = `[\n${JSON.stringify(rows[0])},\n${big},\n${JSON.stringify(rows[1])}\n]`;
    const items = elements(await collect(readArrayElements(chunksOf(encode(text), [512]), { maxElementBytes: 1000 })));
    assert.deepEqual(
      items.map((i) => [i.tooLong, i.text.length > 0]),
      [
        [false, true],
        [true, false],
        [false, true],
      ],
    );
    const found = await collect(validateArrayItems(readArrayElementBatches(chunksOf(encode(text)), { maxElementBytes: 1000 })));
    assert.ok(found.some((d) => d.rule === "line-too-long" && d.line === 2));
    assert.ok(found.some((d) => d.rule === "empty-output" && d.line === 3));
  });

  it("says a UTF-16 file is UTF-16, once", async () => {
    const bytes = Buffer.from(`\uFEFF${JSON.stringify(rows)}`, "utf16le");
    const found = await collect(validateArrayItems(readArrayElementBatches(chunksOf(bytes))));
    assert.deepEqual(
      found.map((d) => d.rule),
      ["invalid-utf8"],
    );
    assert.match(found[0].message, /UTF-16LE, not UTF-8/);
  });

  it("tells arrays from JSON Lines by name and first line", () => {
    assert.equal(looksLikeJsonArray("alpaca_data.json", encode('[{"a": 1}]')), true);
    assert.equal(looksLikeJsonArray("data.jsonl", encode("[\n  {")), true, "a pretty-printed array, whatever its name");
    assert.equal(looksLikeJsonArray("rows.jsonl", encode("[1, 2]\n[3, 4]\n")), false, "JSON Lines whose rows are arrays");
    assert.equal(looksLikeJsonArray("task.json", encode('{"Definition": ["x"]}')), false);
    assert.equal(looksLikeJsonArray("x.json", encode("\uFEFF  \n [")), true);
  });

  it("tells a .json file that is one object over many lines from JSON Lines named .json", () => {
    assert.equal(looksLikeJsonDocument("dataset_info.json", encode('{\n  "demo": {')), true);
    assert.equal(looksLikeJsonDocument("task001.JSON", encode('\uFEFF{"Contributors": [\n')), true);
    assert.equal(looksLikeJsonDocument("train.json", encode('{"instruction": "a", "output": "b"}\r\n{"instruction": "c"')), false, "JSON Lines named .json");
    assert.equal(looksLikeJsonDocument("train.json", encode('{"instruction": "a", "output": "b"}')), false, "one row, one line");
    assert.equal(looksLikeJsonDocument("rows.jsonl", encode('{\n  "instruction": "a"\n}')), false, "a .jsonl file is rows, however it is laid out");
    assert.equal(looksLikeJsonDocument("alpaca_data.json", encode("[\n  {")), false);
  });

  it("tells a .json file of JSON Lines (datasets' to_json), which the editor opens as JSON Lines", () => {
    const row = (i: number) => JSON.stringify({ instruction: `Task ${i}`, input: "", output: `Answer ${i}` });
    assert.equal(jsonFileHoldsJsonLines("train.json", `${row(1)}\n${row(2)}\n`), true);
    assert.equal(jsonFileHoldsJsonLines("train.JSON", `${row(1)}\r\n\r\n${row(2)}`), true, "CRLF and a blank line between");
    assert.equal(jsonFileHoldsJsonLines("train.json", `${row(1)}\n{"instruction": "cut sh`), false, "a second line that is not a whole object");
    assert.equal(jsonFileHoldsJsonLines("config.json", `${row(1)}\n`), false, "one object on one line: a minified config");
    assert.equal(jsonFileHoldsJsonLines("train.json", `[${row(1)},\n${row(2)}]\n`), false, "an array");
    assert.equal(jsonFileHoldsJsonLines("dataset_info.json", '{\n  "demo": {"file_name": "demo.json"}\n}\n'), false, "one object over lines");
    assert.equal(jsonFileHoldsJsonLines("train.jsonl", `${row(1)}\n${row(2)}\n`), false, "already JSON Lines by its name");
    assert.equal(jsonFileHoldsJsonLines("rows.json", "1\n2\n"), false, "rows that are not objects");
  });
});

describe("instruct-studio lint on JSON arrays", () => {
  const run = (args: string[], input?: string) => spawnSync(process.execPath, [cli, ...args], { encoding: "utf8", timeout: 60_000, input });

  it("lints a .json array file and standard input alike, with the same findings", () => {
    const path = join(dir, "alpaca_data.json");
    writeFileSync(path, JSON.stringify(rows, null, 4));
    const fromFile = run(["lint", "--json", path]);
    assert.equal(fromFile.status, 1);
    const parsed = JSON.parse(fromFile.stdout) as Array<{ line: number; column: number; rule: string }>;
    assert.deepEqual(
      parsed.map((d) => `${d.line}:${d.column} ${d.rule}`),
      ["10:19 empty-output", "12:5 duplicate-row", "17:5 missing-field", "20:9 unknown-key"],
    );
    const fromStdin = run(["lint", "--json", "-"], readFileSync(path, "utf8"));
    assert.deepEqual(
      (JSON.parse(fromStdin.stdout) as Array<{ line: number; rule: string }>).map((d) => `${d.line} ${d.rule}`),
      parsed.map((d) => `${d.line} ${d.rule}`),
    );
    // stats reads the same rows from the array as from JSON Lines.
    const asJsonl = join(dir, "alpaca_data.jsonl");
    writeFileSync(asJsonl, rows.map((r) => JSON.stringify(r)).join("\n"));
    const figures = (file: string) => {
      const stats = run(["stats", "--json", file]);
      assert.equal(stats.status, 0, stats.stderr);
      const report = JSON.parse(stats.stdout) as { rows: number; tokens: { total: number; max: number }; trainedTokens: number; duplicates: { rows: number } };
      return { rows: report.rows, tokens: report.tokens.total, max: report.tokens.max, trained: report.trainedTokens, duplicates: report.duplicates.rows };
    };
    const fromArray = figures(path);
    assert.deepEqual(fromArray, figures(asJsonl));
    assert.equal(fromArray.rows, 4);
    assert.equal(fromArray.duplicates, 1);
    const clean = join(dir, "clean.json");
    writeFileSync(clean, JSON.stringify([rows[0]], null, 2));
    const ok = run(["lint", clean]);
    assert.equal(ok.status, 0, ok.stdout + ok.stderr);
    assert.equal(ok.stdout, "");
  });
});

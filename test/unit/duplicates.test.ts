import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { DocumentValidator } from "../../src/core/validate/documentValidator";
import { bands, estimateJaccard, fmix32, minhashSignature, permutations, searchKeys } from "../../src/core/validate/minhash";

const row = (instruction: string, output = "ok") => JSON.stringify({ instruction, input: "", output });
const base = "Write a short story about a brave little robot who learns to paint sunsets over the quiet harbour town";

describe("MinHash", () => {
  it("estimates Jaccard over word 5-grams", () => {
    const a = minhashSignature(base)!;
    assert.equal(estimateJaccard(a, minhashSignature(base.toUpperCase())!), 1);
    assert.ok(estimateJaccard(a, minhashSignature(`${base} tonight`)!) > 0.7);
    assert.ok(estimateJaccard(a, minhashSignature("Explain the difference between a list and a tuple in Python with examples")!) < 0.2);
    assert.equal(minhashSignature("too short"), undefined);
  });

  it("keys each band by its rows mixed in turn, a 30-bit key, and a short prompt's answer after the bands", () => {
    const rows = permutations / bands;
    for (const text of [base, "Write a haiku about the sea and the wind at night", "다음 문장을 영어로 번역하세요 그리고 설명하세요 자세히"]) {
      const signature = minhashSignature(text)!;
      const expected = Array.from({ length: bands }, (_, band) => {
        let h = band;
        for (let r = 0; r < rows; r++) h = fmix32(h ^ signature[band * rows + r]);
        return h >>> 2;
      });
      assert.deepEqual(searchKeys(signature, 0xfffffff7), [...expected, 0x3ffffffd]);
      assert.deepEqual(searchKeys(undefined, undefined), Array(bands + 1).fill(-1));
    }
  });
});

describe("duplicates in a document", () => {
  it("duplicate-row: points to the first occurrence, after normalising whitespace, with a delete fix", () => {
    const v = new DocumentValidator();
    v.setText([row("Name a colour."), row("Name a fruit."), row("Name  a colour. ")].join("\n"));
    const [found] = v.diagnostics().filter((d) => d.rule === "duplicate-row");
    assert.equal(found.line, 2);
    assert.equal(found.related?.[0].line, 0);
    assert.deepEqual(found.fix?.edits[0], { line: 2, column: 0, endLine: 3, endColumn: 0, newText: "" });
  });

  it("near-duplicate: a row that differs by a word", () => {
    const v = new DocumentValidator();
    v.setText([row(base), row("Explain the difference between a list and a tuple in Python with examples"), row(`${base} tonight`)].join("\n"));
    const found = v.diagnostics().filter((d) => d.rule === "near-duplicate");
    assert.equal(found.length, 1);
    assert.equal(found[0].line, 2);
    assert.equal(found[0].related?.[0].line, 0);
  });

  it("updates incrementally: editing the first copy moves the verdict, deleting it clears it", () => {
    const v = new DocumentValidator();
    v.setText([row("Name a colour."), row("Name a fruit."), row("Name a colour.")].join("\n"));
    assert.deepEqual(
      v
        .diagnostics()
        .filter((d) => d.rule === "duplicate-row")
        .map((d) => d.line),
      [2],
    );
    const first = row("Name a colour.");
    v.applyEdit(0, 0, 0, first.length, row("Name an animal."));
    assert.deepEqual(
      v.diagnostics().filter((d) => d.rule === "duplicate-row"),
      [],
    );
    v.applyEdit(0, 0, 0, row("Name an animal.").length, first);
    assert.deepEqual(
      v
        .diagnostics()
        .filter((d) => d.rule === "duplicate-row")
        .map((d) => d.line),
      [2],
    );
    v.applyEdit(0, 0, 1, 0, "");
    assert.equal(v.lineCount, 2);
    assert.deepEqual(
      v.diagnostics().filter((d) => d.rule === "duplicate-row"),
      [],
    );
  });

  it("mixed-formats: a ShareGPT row in an Alpaca file points to the first Alpaca row", () => {
    const v = new DocumentValidator();
    v.setText(
      [
        row("a"),
        row("b"),
        JSON.stringify({
          conversations: [
            { from: "human", value: "x" },
            { from: "gpt", value: "y" },
          ],
        }),
      ].join("\n"),
    );
    const [found] = v.diagnostics().filter((d) => d.rule === "mixed-formats");
    assert.equal(found.line, 2);
    assert.equal(found.related?.[0].line, 0);
    assert.equal(v.format, "alpaca");
  });

  it("a log file that is not instruction data: its syntax errors and one info naming the keys it saw, gone once a row has a format", () => {
    const v = new DocumentValidator();
    v.setText(['{"level":"info","msg":"started"}', '{"level":"warn",}', '{"level":"info","msg":"started"}'].join("\n"));
    const found = v.diagnostics().sort((a, b) => a.line - b.line);
    assert.deepEqual(
      found.map((d) => [d.rule, d.line]),
      [
        ["no-instruction-format", 0],
        ["syntax", 1],
      ],
    );
    assert.match(found[0].message, /keys seen: level, msg/);
    assert.equal(v.format, undefined);
    assert.equal(v.summary().counts.info, 1);
    v.applyEdit(1, 0, 1, 17, row("now a dataset"));
    assert.deepEqual(
      v
        .diagnostics()
        .map((d) => d.rule)
        .filter((r) => r === "no-instruction-format"),
      [],
    );
    assert.equal(v.summary().counts.info, 0);
  });

  it("line edits keep later diagnostics on their lines", () => {
    const v = new DocumentValidator();
    v.setText([row("a"), row("b"), '{"instruction": "c",}'].join("\n"));
    v.applyEdit(0, 0, 0, 0, `${row("new")}\n`);
    // The broken row's own problems show with its syntax error (jsonc-parser recovers it).
    assert.deepEqual(
      v.diagnostics().map((d) => [d.rule, d.line]),
      [
        ["syntax", 3],
        ["missing-field", 3],
      ],
    );
  });
});

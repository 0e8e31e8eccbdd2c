import assert from "node:assert/strict";
import { describe, it } from "node:test";
import fc from "fast-check";
import { maxNestingDepth } from "../../src/core/jsonl/jsonShape";
import { DocumentValidator } from "../../src/core/validate/documentValidator";
import { maxUnusedKeyFindings } from "../../src/core/validate/structure";
import { diagnose, only, rulesOf } from "./ruleHelpers";

const alpaca = (extra: string) => `{"instruction":"Name a colour.","input":"","output":"Blue."${extra}}`;

describe("rows named like Object.prototype members", () => {
  for (const key of ["__proto__", "constructor", "toString", "hasOwnProperty"]) {
    it(`a key \`${key}\` is an unused key, not a crash`, () => {
      const found = diagnose(alpaca(`,"${key}":1`));
      assert.deepEqual(rulesOf(found), ["unused-key"]);
      assert.match(found[0].message, new RegExp(key));
    });

    it(`a role "${key}" is an unknown role, in OpenAI and ShareGPT rows`, () => {
      const openai = diagnose({
        messages: [
          { role: key, content: "x" },
          { role: "assistant", content: "y" },
        ],
      });
      assert.ok(rulesOf(openai).includes("unknown-role"), JSON.stringify(openai));
      const sharegpt = diagnose({
        conversations: [
          { from: key, value: "x" },
          { from: "gpt", value: "y" },
        ],
      });
      assert.ok(rulesOf(sharegpt).includes("unknown-role"), JSON.stringify(sharegpt));
    });
  }
});

describe("rows that are deep, wide or repeat keys", () => {
  it("a row nested 5,000 deep is one too-deep finding, valid or not, and the other rows are still checked", () => {
    const deep = alpaca(`,"x":${"[".repeat(5000)}${"]".repeat(5000)}`);
    const broken = alpaca(`,"x":${"[".repeat(5000)}${"]".repeat(4999)}`);
    for (const row of [deep, broken]) assert.deepEqual(rulesOf(diagnose(row)), ["too-deep"]);
    const v = new DocumentValidator();
    v.setText([deep, broken, '{"instruction":"a","input":"","outptu":"b"}'].join("\n"));
    assert.deepEqual(
      v.diagnostics().map((d) => [d.line, d.rule]),
      [
        [0, "too-deep"],
        [1, "too-deep"],
        [2, "missing-field"],
        [2, "unknown-key"],
      ],
    );
  });

  it(`a row exactly ${maxNestingDepth} deep is checked as usual`, () => {
    const nested = `${"[".repeat(maxNestingDepth - 1)}${"]".repeat(maxNestingDepth - 1)}`;
    assert.deepEqual(rulesOf(diagnose(alpaca(`,"x":${nested}`))), ["unused-key"]);
  });

  it("a row of 40,000 keys reports each of the first unused keys and counts the rest", () => {
    const keys = Object.fromEntries(Array.from({ length: 40_000 }, (_, i) => [`k${i}`, i]));
    const found = diagnose({ instruction: "a", input: "", output: "b", ...keys });
    assert.equal(only(found, "unused-key").length, maxUnusedKeyFindings + 1);
    assert.match(found[found.length - 1].message, /39,980 more keys/);
  });

  it("a key repeated in one object: reported where the kept value is, the dropped one related", () => {
    const row = '{"instruction":"a","input":"","output":"first","output":"second"}';
    const [found] = only(diagnose(row), "duplicate-key");
    assert.equal(row.slice(found.column, found.endColumn), '"output"');
    assert.equal(found.column, row.lastIndexOf('"output"'));
    assert.equal(found.related?.[0].column, row.indexOf('"output"'));
    assert.deepEqual(
      only(diagnose('{"messages":[{"role":"user","content":"a","role":"user"},{"role":"assistant","content":"b"}]}'), "duplicate-key").length,
      1,
    );
  });

  it("the same name in different objects, or inside strings, is no duplicate key", () => {
    assert.deepEqual(
      only(
        diagnose({
          messages: [
            { role: "user", content: 'say "role": 1' },
            { role: "assistant", content: '"content":' },
          ],
        }),
        "duplicate-key",
      ),
      [],
    );
  });
});

describe("the document validator under edits", () => {
  it("refuses an edit outside its lines instead of drifting", () => {
    const v = new DocumentValidator();
    v.setText(`${alpaca("")}\n`);
    assert.throws(() => v.applyEdit(5, 0, 5, 0, "x"), RangeError);
    assert.equal(v.lineText(0), alpaca(""));
  });

  it("100,000 identical rows: one first occurrence, every other row a duplicate of it, after edits too", () => {
    const row = alpaca("");
    const v = new DocumentValidator();
    v.setText(Array(100_000).fill(row).join("\n"));
    assert.equal(v.summary().counts.warning, 99_999);
    v.applyEdit(0, 0, 1, 0, "");
    v.applyEdit(0, 1, 0, 1, " ");
    const duplicates = v.diagnostics(3);
    assert.deepEqual(
      duplicates.map((d) => d.message),
      ["Duplicate of row 1.", "Duplicate of row 1.", "Duplicate of row 1."],
    );
    assert.equal(v.summary().counts.warning, 99_998);
  });

  it("a line over 16 MB is reported as too long in the editor, as the CLI does", () => {
    const v = new DocumentValidator();
    v.setText(alpaca(`,"x":"${"a".repeat(17 * 1024 * 1024)}"`));
    assert.deepEqual(
      v.diagnostics().map((d) => d.rule),
      ["line-too-long"],
    );
  });

  it("a U+FFFD in a row is reported as not UTF-8, as the CLI does", () => {
    const v = new DocumentValidator();
    v.setText(alpaca(`,"note":"caf\uFFFD"`));
    assert.ok(v.diagnostics().some((d) => d.rule === "invalid-utf8"));
  });

  // Property test (VS Code holds one kind of line ending, here LF): any sequence of edits leaves the validator holding the document's text,
  // and its findings equal those of a validator that read the edited text from scratch.
  it("random edits, insertions and deletions keep its text and findings equal to a fresh validation", () => {
    const rows = ["", alpaca(""), alpaca(`,"outptu":"x"`), '{"messages":[{"role":"user","content":"hi"}]}', "{broken", alpaca(',"a":1,"a":2'), "[1,2]"];
    const piece = fc.oneof(
      fc.constantFrom(...rows),
      fc.constantFrom("\n", '"', "{", "}", ","),
      fc.string({ maxLength: 6 }).filter((t) => !t.includes("\r")),
    );
    const edit = fc.record({ start: fc.nat(), length: fc.nat({ max: 40 }), text: fc.array(piece, { maxLength: 4 }).map((p) => p.join("")) });
    fc.assert(
      fc.property(fc.array(fc.constantFrom(...rows), { maxLength: 12 }), fc.array(edit, { maxLength: 15 }), (initial, edits) => {
        let text = initial.join("\n");
        const v = new DocumentValidator();
        v.setText(text);
        for (const e of edits) {
          const start = e.start % (text.length + 1);
          const end = Math.min(text.length, start + e.length);
          const from = position(text, start);
          const to = position(text, end);
          v.applyEdit(from.line, from.column, to.line, to.column, e.text);
          text = text.slice(0, start) + e.text + text.slice(end);
        }
        const lines = text.split("\n");
        assert.deepEqual(
          Array.from({ length: v.lineCount }, (_, i) => v.lineText(i)),
          lines,
        );
        const fresh = new DocumentValidator();
        fresh.setText(text);
        assert.deepEqual(v.diagnostics(), fresh.diagnostics());
        assert.deepEqual(v.summary(), fresh.summary());
        for (const rule of new Set(fresh.diagnostics().map((d) => d.rule))) {
          const withFix = fresh.diagnostics().filter((d) => d.rule === rule && d.fix);
          assert.equal(v.fixableCount(rule), withFix.length, rule);
          assert.deepEqual(
            v.fixable(rule),
            withFix.sort((a, b) => a.line - b.line),
          );
        }
      }),
      { numRuns: 300 },
    );
  });
});

function position(text: string, offset: number): { line: number; column: number } {
  const before = text.slice(0, offset).split("\n");
  return { line: before.length - 1, column: before[before.length - 1].length };
}

import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { parseRow, stripBom } from "../../src/core/jsonl/parseRow";
import { checkRowSyntax } from "../../src/core/lint/syntaxRules";

describe("parseRow", () => {
  it("parses a valid object with no errors", () => {
    const row = parseRow('{"instruction": "a", "output": "b"}');
    assert.equal(row.kind, "value");
    assert.deepEqual(row.kind === "value" && { ...(row.value as object) }, { instruction: "a", output: "b" });
    assert.deepEqual(row.kind === "value" && row.errors, []);
  });

  it("gives rows no prototype, so a __proto__ key in data is only data", () => {
    const row = parseRow('{"__proto__": {"polluted": true}, "instruction": "x"}');
    assert.ok(row.kind === "value");
    assert.equal(({} as Record<string, unknown>).polluted, undefined);
    assert.equal(Object.getPrototypeOf(row.value), null);
  });

  it("treats whitespace-only lines as blank", () => {
    assert.equal(parseRow("   \t").kind, "blank");
  });

  it("locates a trailing comma at the closing brace", () => {
    const row = parseRow('{"a": 1,}');
    assert.ok(row.kind === "value" && row.errors.length > 0);
    assert.equal(row.kind === "value" && row.errors[0].start, 8);
  });

  it("reports an unterminated string", () => {
    const row = parseRow('{"a": "open');
    assert.ok(row.kind === "value" && row.errors.some((e) => e.code === "UnexpectedEndOfString"));
  });

  it("reports two values on one line", () => {
    const row = parseRow('{"a": 1} {"b": 2}');
    assert.ok(row.kind === "value" && row.errors.some((e) => e.code === "EndOfFileExpected" && e.start === 9));
  });

  it("rejects comments, which JSON does not allow", () => {
    const row = parseRow('{"a": 1 /* note */}');
    assert.ok(row.kind === "value" && row.errors.length > 0);
  });

  it("strips a BOM", () => {
    assert.deepEqual(stripBom('\uFEFF{"a":1}'), { text: '{"a":1}', bomLength: 1 });
    assert.deepEqual(stripBom('{"a":1}'), { text: '{"a":1}', bomLength: 0 });
  });
});

describe("checkRowSyntax", () => {
  it("reports a blank line as a warning", () => {
    const { diagnostics } = checkRowSyntax("", 4);
    assert.deepEqual(
      diagnostics.map((d) => [d.rule, d.severity, d.line]),
      [["blank-line", "warning", 4]],
    );
  });

  it("reports a non-object row with the kind it is", () => {
    assert.match(checkRowSyntax("[1, 2]", 0).diagnostics[0].message, /an array/);
    assert.match(checkRowSyntax('"text"', 0).diagnostics[0].message, /a string/);
    assert.match(checkRowSyntax("null", 0).diagnostics[0].message, /null/);
    assert.equal(checkRowSyntax("null", 0).diagnostics[0].rule, "not-object");
  });

  it("reports each syntax error once, at its column", () => {
    const { diagnostics } = checkRowSyntax('{"instruction": "x",}', 2);
    assert.equal(diagnostics.length, 1);
    assert.deepEqual([diagnostics[0].rule, diagnostics[0].line, diagnostics[0].column], ["syntax", 2, 20]);
  });

  it("reports nothing for a valid object", () => {
    assert.deepEqual(checkRowSyntax('{"instruction": "x"}', 0).diagnostics, []);
  });
});

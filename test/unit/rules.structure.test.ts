import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { applyFix, diagnose, only, rulesOf } from "./ruleHelpers";

describe("schema rules", () => {
  it("missing-field: an Alpaca row without output", () => {
    const found = only(diagnose({ instruction: "Add 2 and 2", input: "" }), "missing-field");
    assert.equal(found.length, 1);
    assert.match(found[0].message, /no `output`/);
    assert.deepEqual([found[0].column, found[0].endColumn], [0, 1]);
    assert.deepEqual(only(diagnose({ instruction: "a", input: "", output: "b" }), "missing-field"), []);
  });

  it("missing-field: an empty object in an Alpaca file is checked as Alpaca", () => {
    assert.deepEqual(rulesOf(diagnose({}, { fileFormat: "alpaca" })).sort(), ["missing-field", "missing-field"]);
    assert.deepEqual(diagnose({}), [], "outside instruction data nothing but syntax is checked");
  });

  it("wrong-type: a number where text belongs", () => {
    const line = '{"instruction": 42, "output": "b"}';
    const [found] = only(diagnose(line), "wrong-type");
    assert.match(found.message, /`instruction` should be string, not number/);
    assert.equal(line.slice(found.column, found.endColumn), "42");
    assert.deepEqual(only(diagnose({ instruction: "x", output: "b" }), "wrong-type"), []);
  });

  it("unknown-key: outptu → output, with a rename fix", () => {
    const line = '{"instruction": "Say hi", "input": "", "outptu": "Hi"}';
    const [found] = only(diagnose(line), "unknown-key");
    assert.match(found.message, /did you mean `output`/);
    assert.equal(line.slice(found.column, found.endColumn), '"outptu"');
    assert.equal(applyFix(line, found), '{"instruction": "Say hi", "input": "", "output": "Hi"}');
    assert.deepEqual(only(diagnose({ instruction: "a", output: "b" }), "unknown-key"), []);
  });

  it("unknown-key inside a message: contnet → content", () => {
    const [found] = only(
      diagnose({
        messages: [
          { role: "user", contnet: "hi" },
          { role: "assistant", content: "x" },
        ],
      }),
      "unknown-key",
    );
    assert.match(found.message, /did you mean `content`/);
  });

  it("unused-key: a field that no close key explains is a hint", () => {
    const [found] = only(diagnose({ instruction: "a", output: "b", annotator: "bob" }), "unused-key");
    assert.equal(found.severity, "hint");
    assert.deepEqual(only(diagnose({ instruction: "a", output: "b", id: 3 }), "unused-key"), [], "bookkeeping fields are fine");
  });

  it("rules can be turned off or re-ranked", () => {
    const row = { instruction: "a", output: "b", annotator: "bob" };
    assert.deepEqual(only(diagnose(row, { rules: { "unused-key": "off" } }), "unused-key"), []);
    assert.equal(only(diagnose(row, { rules: { "unused-key": "error" } }), "unused-key")[0].severity, "error");
  });

  it("syntax: a trailing comma comes with a fix that removes it", () => {
    const line = '{"instruction": "a", "output": "b" , }';
    const [found] = diagnose(line);
    assert.equal(found.rule, "syntax");
    assert.equal(applyFix(line, found), '{"instruction": "a", "output": "b"  }');
    assert.equal(diagnose('{"instruction": "a" "output": "b"}')[0].fix, undefined, "a missing comma has no such fix");
  });

  it("syntax errors keep their exact range after a BOM", () => {
    const found = diagnose('\uFEFF{"a": 1,}');
    assert.deepEqual(rulesOf(found), ["syntax"]);
    assert.equal(found[0].column, 9);
  });
});

import assert from "node:assert/strict";
import { describe, it } from "node:test";
import type { Diagnostic, Severity } from "../../src/core/lint/diagnostic";
import { mostSevereFirst } from "../../src/core/lint/mostSevereFirst";

const finding = (line: number, severity: Severity, rule: string): Diagnostic => ({
  line,
  column: 0,
  endLine: line,
  endColumn: 1,
  severity,
  rule,
  message: rule,
});

describe("the findings the editor shows of a JSON array", () => {
  it("keeps a stream's order when all fit", () => {
    const findings = [finding(9, "info", "a"), finding(2, "error", "b")];
    assert.deepEqual(mostSevereFirst(findings, 1000), findings);
  });

  it("shows errors, then warnings, then the rest, each in file order, when they do not fit: near duplicates given last are not all cut", () => {
    const rows = Array.from({ length: 1200 }, (_, i) => finding(i, i % 100 === 7 ? "error" : "info", "empty-output"));
    const groups = [finding(40, "warning", "near-duplicate"), finding(3, "warning", "near-duplicate")];
    const shown = mostSevereFirst([...rows, ...groups], 1000);
    assert.equal(shown.length, 1000);
    assert.deepEqual(
      shown.slice(0, 14).map((d) => [d.line, d.severity]),
      [...Array.from({ length: 12 }, (_, i) => [i * 100 + 7, "error"]), [3, "warning"], [40, "warning"]],
    );
    assert.deepEqual(
      shown.slice(14, 17).map((d) => d.line),
      [0, 1, 2],
    );
  });
});

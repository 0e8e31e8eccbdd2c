import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { readLines } from "../../src/core/jsonl/lineReader";
import type { Diagnostic } from "../../src/core/lint/diagnostic";
import { DocumentValidator } from "../../src/core/validate/documentValidator";
import {
  groupNearDuplicatePairs,
  maxRelatedMembers,
  moreSevere,
  nearDuplicateGroupFinding as groupFinding,
  NearDuplicateMember,
} from "../../src/core/validate/nearDuplicateGroups";
import { validateLines } from "../../src/core/validate/streamValidator";

const row = (instruction: string, output = "ok") => JSON.stringify({ instruction, input: "", output });
const story = "Write a short story about a brave little robot who learns to paint sunsets over the quiet harbour town";
const lists = "Explain the difference between a list and a tuple in Python with short examples for a beginner";
const unrelated = "Name three rivers of Africa and the countries each of them flows through on its way to the sea";

function member(line: number, earlier: number, severity: NearDuplicateMember["severity"] = "info", similarity = 0.8): NearDuplicateMember {
  return {
    row: { line, column: 0, endLine: line, endColumn: 40 + line },
    earlier: { line: earlier, length: 40 + earlier },
    verdict: { severity, similarity },
    severity,
  };
}

const nearDuplicateGroupFinding = (members: NearDuplicateMember[]) => groupFinding(members, members.length, members.map((m) => m.severity).reduce(moreSevere));

async function streamFindings(text: string): Promise<Diagnostic[]> {
  const found: Diagnostic[] = [];
  async function* bytes() {
    yield new TextEncoder().encode(text);
  }
  for await (const d of validateLines(readLines(bytes()))) found.push(d);
  return found;
}

const near = (ds: Diagnostic[]) => ds.filter((d) => d.rule === "near-duplicate").sort((a, b) => a.line - b.line);

describe("near-duplicate groups", () => {
  it("links pairs into groups, each rooted at its earliest row, ordered by their first repeating row", () => {
    // 3→1, 5→3, 6→1: one group; 9→7 and 10→8: two more; 12→9 joins 7's.
    const pairsOf = (rows: number[], earliers: number[]) => groupNearDuplicatePairs(rows, earliers).groups.map((g) => g.pairs);
    assert.deepEqual(pairsOf([3, 5, 6, 9, 10, 12], [1, 3, 1, 7, 8, 9]), [[0, 1, 2], [3, 5], [4]]);
    assert.deepEqual(pairsOf([], []), []);
    assert.deepEqual(pairsOf([4, 6, 8], [2, 3, 4]), [[0, 2], [1]]);
    assert.deepEqual(pairsOf([4, 6, 8, 9], [2, 3, 4, 6]), [
      [0, 2],
      [1, 3],
    ]);
  });

  it("keeps only a group's first pairs when asked, with its size and every pair's group", () => {
    const rows = Array.from({ length: 1000 }, (_, i) => i + 1);
    const { groupOf, groups } = groupNearDuplicatePairs(rows, [0, ...rows.slice(0, -1)], 3);
    assert.deepEqual(groups, [{ pairs: [0, 1, 2], size: 1000 }]);
    assert.deepEqual([...new Set(groupOf)], [0]);
  });

  it("a pair's finding is the single row's finding it always was", () => {
    const found = nearDuplicateGroupFinding([member(5, 2)]);
    assert.deepEqual(found, {
      line: 5,
      column: 0,
      endLine: 5,
      endColumn: 45,
      severity: "info",
      rule: "near-duplicate",
      message: "Asks nearly what row 3 asks (estimated Jaccard 0.80 over word 5-grams).",
      related: [{ line: 2, column: 0, endLine: 2, endColumn: 42, message: "Similar row" }],
    });
  });

  it("a group's one finding names every member with the row it repeats, at the group's most severe verdict", () => {
    const found = nearDuplicateGroupFinding([member(5, 2), member(7, 5, "warning", 0.95), member(9, 2)]);
    assert.equal(found.line, 5);
    assert.equal(found.severity, "warning");
    assert.equal(
      found.message,
      "Asks nearly what row 3 asks (estimated Jaccard 0.80 over word 5-grams). Rows 8 and 10 belong to the same group of near duplicates.",
    );
    assert.deepEqual(
      found.related!.map((r) => [r.line, r.endColumn, r.message]),
      [
        [2, 42, "Similar row"],
        [7, 47, "Asks nearly what row 6 asks (estimated Jaccard 0.95 over word 5-grams)."],
        [9, 49, "Asks nearly what row 3 asks (estimated Jaccard 0.80 over word 5-grams)."],
      ],
    );
    assert.match(nearDuplicateGroupFinding([member(5, 2), member(8, 2)]).message, / Row 9 belongs to the same group of near duplicates\.$/);
  });

  it("a large group lists a few rows and counts the rest; its related locations are bounded", () => {
    const members = [member(1, 0), ...Array.from({ length: 1000 }, (_, i) => member(i + 2, i + 1))];
    const found = nearDuplicateGroupFinding(members);
    assert.match(found.message, /\. Rows 3, 4, 5, 6, 7, 8, 9 and 993 other rows belong to the same group of near duplicates\.$/);
    assert.equal(found.related!.length, 1 + maxRelatedMembers);
  });

  it("the editor and the CLI give one finding per group, on its first repeating row", async () => {
    const text = [
      row(story),
      row(lists),
      row(`${story} tonight`),
      row(unrelated),
      row(`${lists} today`),
      row(`${story} again`),
      row(`${story} at dawn`),
      row(`${lists} please`),
    ].join("\n");
    const editor = new DocumentValidator();
    editor.setText(text);
    const fromEditor = near(editor.diagnostics());
    assert.deepEqual(
      fromEditor.map((d) => [d.line, d.related!.map((r) => r.line)]),
      [
        [2, [0, 5, 6]],
        [4, [1, 7]],
      ],
    );
    assert.deepEqual(near(await streamFindings(text)), fromEditor);
    // Same answers and close prompts: warnings, counted once per group.
    assert.deepEqual(
      fromEditor.map((d) => d.severity),
      ["warning", "warning"],
    );
    assert.equal(editor.summary().counts.warning, 2);
  });

  it("the editor's groups follow edits exactly as a fresh validation of the same text would find them", () => {
    const variants = ["tonight", "again", "at dawn", "today", "please", "slowly"];
    let seed = 7;
    const next = (n: number) => {
      seed = (seed * 1103515245 + 12345) % 2147483648;
      return seed % n;
    };
    const lines = [row(story), row(lists), row(`${story} tonight`), row(unrelated), row(`${lists} today`), row(`${story} again`)];
    const editor = new DocumentValidator();
    editor.setText(lines.join("\n"));
    for (let step = 0; step < 120; step++) {
      const at = next(lines.length);
      const kind = next(3);
      const text = row(`${[story, lists, unrelated][next(3)]} ${variants[next(variants.length)]}`);
      if (kind === 0 && lines.length > 1) {
        // Delete a whole line.
        if (at < lines.length - 1) editor.applyEdit(at, 0, at + 1, 0, "");
        else editor.applyEdit(at - 1, lines[at - 1].length, at, lines[at].length, "");
        lines.splice(at, 1);
      } else if (kind === 1) {
        editor.applyEdit(at, 0, at, 0, `${text}\n`);
        lines.splice(at, 0, text);
      } else {
        editor.applyEdit(at, 0, at, lines[at].length, text);
        lines[at] = text;
      }
      const fresh = new DocumentValidator();
      fresh.setText(lines.join("\n"));
      assert.deepEqual(editor.diagnostics(), fresh.diagnostics(), `step ${step}`);
      assert.deepEqual(editor.summary(), fresh.summary(), `step ${step}`);
    }
    assert.ok(
      near(editor.diagnostics()).some((d) => d.related!.length > 2),
      "the edits made a group of three or more",
    );
  });

  it("tells each row of a group where the group's finding is, for the hover, and forgets it when the group goes", () => {
    const lines = [row(story), row(unrelated), row(`${story} tonight`), row(lists), row(`${story} again`)];
    const editor = new DocumentValidator();
    editor.setText(lines.join("\n"));
    assert.deepEqual(editor.nearDuplicateAt(0), { repeats: undefined, findingLine: 2, rows: 3 });
    assert.equal(editor.nearDuplicateAt(1), undefined);
    assert.deepEqual(editor.nearDuplicateAt(4), {
      repeats: "Asks nearly what row 1 asks (ROUGE-L 0.97 over words), with the same answer.",
      findingLine: 2,
      rows: 3,
    });
    // A row that leaves a group whose first row stays is in no group.
    const leaving = new DocumentValidator();
    leaving.setText(lines.join("\n"));
    leaving.applyEdit(4, 0, 4, lines[4].length, row("Summarise the plot of Hamlet in two sentences for a reader who has never seen the play"));
    assert.equal(leaving.nearDuplicateAt(4), undefined);
    assert.deepEqual(leaving.nearDuplicateAt(0), { repeats: undefined, findingLine: 2, rows: 2 });
    editor.applyEdit(0, 0, 0, lines[0].length, row(`${lists} today`));
    // Row 1 now asks what row 4 asks: the story rows 3 and 5 are a pair of their own, the lists rows another.
    assert.deepEqual(
      [0, 2, 3, 4].map((line) => [
        editor.nearDuplicateAt(line)?.findingLine,
        editor.nearDuplicateAt(line)?.rows,
        editor.nearDuplicateAt(line)?.repeats?.slice(0, 25),
      ]),
      [
        [3, 2, undefined],
        [4, 2, undefined],
        [3, 2, "Asks nearly what row 1 as"],
        [4, 2, "Asks nearly what row 3 as"],
      ],
    );
    editor.applyEdit(4, 0, 4, lines[4].length, row("Summarise the plot of Hamlet in two sentences for a reader who has never seen the play"));
    assert.equal(editor.nearDuplicateAt(2), undefined);
    assert.equal(editor.nearDuplicateAt(4), undefined);
  });

  it("turning the rule off removes the groups; setting its severity applies to each", () => {
    const text = [row(story), row(`${story} tonight`), row(`${story} again`)].join("\n");
    const off = new DocumentValidator({ rules: { "near-duplicate": "off" } });
    off.setText(text);
    assert.deepEqual(near(off.diagnostics()), []);
    const raised = new DocumentValidator({ rules: { "near-duplicate": "error" } });
    raised.setText(text);
    assert.deepEqual(
      near(raised.diagnostics()).map((d) => [d.line, d.severity, d.related!.length]),
      [[1, "error", 2]],
    );
  });
});

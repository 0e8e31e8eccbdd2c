// The per-character hashes that run on every row of a file are written without a branch on the
// character: these properties check them against what they mean, on generated texts.
import assert from "node:assert/strict";
import { describe, it } from "node:test";
import fc from "fast-check";
import { contentHash } from "../../src/core/validate/analyzeRow";
import { degenerateRun } from "../../src/core/validate/generationArtifacts";
import { WordList, wordHashes } from "../../src/core/validate/minhash";
import { hashWords, rowSides } from "../../src/core/validate/rowSides";
import type { TextField } from "../../src/core/formats/textFieldHelpers";

const spaceRun = fc.array(fc.constantFrom(" ", "\t", "\n", "\r", "\u000b", "\f", "\u00a0"), { minLength: 1, maxLength: 4 }).map((run) => run.join(""));
const word = fc.string({ unit: fc.constantFrom("a", "b", "Z", "7", ".", "é", "한", "中", "\u2028"), minLength: 1, maxLength: 6 });
/** A text as its words, so that it can be written with any white space between them. */
const words = fc.array(word, { maxLength: 12 });

/** The words written with the given runs of white space, and `around` before and after. */
function spaced(wordList: string[], runs: string[], around: [string, string]): string {
  return around[0] + wordList.map((w, i) => (i === 0 ? w : runs[i % runs.length] + w)).join("") + around[1];
}

describe("contentHash", () => {
  it("reads any run of white space as one space and ignores it at the ends", () => {
    const layout = fc.record({
      runs: fc.array(spaceRun, { minLength: 1, maxLength: 3 }),
      around: fc.tuple(fc.constantFrom("", " ", "\n\t", "\u00a0 "), fc.constantFrom("", " ", "\r\n")),
    });
    fc.assert(
      fc.property(words, words, layout, layout, (prompt, answer, first, second) => {
        const written = (l: { runs: string[]; around: [string, string] }) => [
          { role: "user", text: spaced(prompt, l.runs, l.around) },
          { role: "assistant", text: spaced(answer, l.runs, l.around) },
        ];
        assert.equal(contentHash(written(first)), contentHash(written(second)));
      }),
    );
  });

  it("tells texts apart that differ by a space between two characters, by a character, or by who says it", () => {
    fc.assert(
      fc.property(fc.string({ unit: fc.constantFrom("a", "b", "c", "é", "한"), minLength: 2, maxLength: 20 }), fc.nat(), (text, at) => {
        const cut = 1 + (at % (text.length - 1));
        const hash = (t: string, role = "assistant") => contentHash([{ role, text: t }]);
        assert.notEqual(hash(text), hash(`${text.slice(0, cut)} ${text.slice(cut)}`));
        assert.notEqual(hash(text), hash(`${text.slice(0, cut)}x${text.slice(cut)}`));
        assert.notEqual(hash(text), hash(text, "user"));
      }),
    );
  });

  it("keeps a role's text apart from the next role's", () => {
    assert.notEqual(
      contentHash([
        { role: "user", text: "a b" },
        { role: "assistant", text: "c" },
      ]),
      contentHash([
        { role: "user", text: "a" },
        { role: "assistant", text: "b c" },
      ]),
    );
  });
});

/** Degenerate repetition as its definition reads, on words as strings and every period scanned. */
function referenceRun(text: string): { phrase: string; repeats: number } | undefined {
  const list = text
    .slice(0, 400_000)
    .split(/[ \t\n\v\f\r]+/)
    .filter((w) => w !== "")
    .slice(0, 20_000);
  let best: { period: number; start: number; repeats: number } | undefined;
  for (let period = 1; period <= 12 && list.length >= 24; period++) {
    let run = 0;
    for (let i = period; i <= list.length; i++) {
      if (i < list.length && list[i] === list[i - period]) {
        run++;
        continue;
      }
      const repeats = Math.floor(run / period) + 1;
      if (repeats >= 8 && repeats * period >= 24 && (!best || repeats * period > best.repeats * best.period))
        best = { period, start: i - run - period, repeats };
      run = 0;
    }
  }
  return best && { phrase: list.slice(best.start, best.start + best.period).join(" "), repeats: best.repeats };
}

describe("degenerateRun", () => {
  it("finds the loop that a scan of every period over the words finds, whatever separates them", () => {
    const vocabulary = fc.constantFrom("the", "model", "a", "loop", "again", "x1");
    const separator = fc.constantFrom(" ", "  ", "\n", "\t", " \r\n");
    const text = fc
      .record({
        before: fc.array(vocabulary, { maxLength: 20 }),
        phrase: fc.array(vocabulary, { minLength: 1, maxLength: 12 }),
        repeats: fc.integer({ min: 1, max: 30 }),
        after: fc.array(vocabulary, { maxLength: 20 }),
        separators: fc.array(separator, { minLength: 1, maxLength: 4 }),
        around: fc.tuple(fc.constantFrom("", " ", "\n"), fc.constantFrom("", " ", "\n")),
      })
      .map(({ before, phrase, repeats, after, separators, around }) => {
        const list = [...before, ...Array.from({ length: repeats }, () => phrase).flat(), ...after];
        return around[0] + list.map((w, i) => (i === 0 ? w : separators[i % separators.length] + w)).join("") + around[1];
      });
    fc.assert(
      fc.property(text, (t) => assert.deepEqual(degenerateRun(t), referenceRun(t))),
      { numRuns: 500 },
    );
  });
});

describe("a short prompt's answer key", () => {
  it("is the hash of every word of the answers, wherever the 600-character opening cuts them", () => {
    const answerWord = fc.constantFrom("yes", "antidisestablishment", "a", "x9", "한국어", "well");
    const answer = fc
      .tuple(fc.array(answerWord, { minLength: 1, maxLength: 220, size: "max" }), fc.constantFrom(" ", ", ", "\n", "  "))
      .map(([list, separator]) => list.join(separator));
    const field = (role: "user" | "assistant", text: string, index: number): TextField => ({ path: ["messages", index, "content"], text, role, name: role });
    fc.assert(
      fc.property(fc.array(answer, { minLength: 1, maxLength: 3 }), (answers) => {
        const fields = [field("user", "Write it again.", 0), ...answers.map((text, i) => field("assistant", text, i + 1))];
        const all = new WordList();
        for (const text of answers) wordHashes(text, all);
        assert.equal(rowSides(fields).answerKey, hashWords(all.data, 0, all.length));
      }),
      { numRuns: 300 },
    );
  });
});

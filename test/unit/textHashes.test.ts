// The per-character hashes that run on every row of a file are written without a branch on the
// character, and the segments and signatures built on them are written for speed: these
// properties check them against what they mean, on generated texts.
import assert from "node:assert/strict";
import { describe, it } from "node:test";
import fc from "fast-check";
import { contentHash } from "../../src/core/validate/analyzeRow";
import { degenerateRun } from "../../src/core/validate/generationArtifacts";
import { mayNeedChecks } from "../../src/core/validate/content";
import { checkedCharBit, fmix32, ideographBit, rougeWordHashes, shingleHash, signatureOfWords, WordList, wordHashes } from "../../src/core/validate/minhash";
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

/**
 * Degenerate repetition as its definition reads, on words as strings (lower-cased runs of letters
 * and digits; the texts here are ASCII) and every period scanned.
 */
function referenceRun(text: string): { phrase: string; repeats: number } | undefined {
  const found = [...text.matchAll(/[A-Za-z0-9]+/g)].slice(0, 20_000);
  const list = found.map((m) => m[0].toLowerCase());
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
  return best && { phrase: text.slice(found[best.start].index, found[best.start + best.period].index).trim(), repeats: best.repeats };
}

describe("degenerateRun", () => {
  it("finds the loop that a scan of every period over the words finds, whatever separates them", () => {
    const vocabulary = fc.constantFrom("the", "The", "model", "a", "loop", "LOOP", "again", "x1");
    const separator = fc.constantFrom(" ", "  ", "\n", "\t", " \r\n", ", ", ". ", " - ", "'");
    const text = fc
      .record({
        before: fc.array(vocabulary, { maxLength: 20 }),
        phrase: fc.array(vocabulary, { minLength: 1, maxLength: 12 }),
        repeats: fc.integer({ min: 1, max: 30 }),
        after: fc.array(vocabulary, { maxLength: 20 }),
        separators: fc.array(separator, { minLength: 1, maxLength: 4 }),
        around: fc.tuple(fc.constantFrom("", " ", "\n", "("), fc.constantFrom("", " ", "\n", ".")),
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

/** The longest run of one mark (a token of 1 to 20 characters, none a letter or digit) repeated 24 times or more, tokens split at white space. */
function referenceMarkRun(text: string): { phrase: string; repeats: number } | undefined {
  const tokens = text.split(/\s+/).filter((t) => t !== "");
  const isMark = (t: string) => /^[^A-Za-z0-9\u00aa-\u1fff\u2c00-\uffff]{1,20}$/.test(t);
  let best: { phrase: string; repeats: number } | undefined;
  for (let i = 0; i < tokens.length;) {
    let j = i + 1;
    while (j < tokens.length && tokens[j] === tokens[i]) j++;
    if (isMark(tokens[i]) && j - i >= 24 && j - i > (best?.repeats ?? 0)) best = { phrase: tokens[i], repeats: j - i };
    i = j;
  }
  return best;
}

describe("degenerateRun of marks", () => {
  it("finds the longest run of one mark repeated 24 times, when the words hold no loop", () => {
    const token = fc.constantFrom("```", "```", "*", "*", "!!", "\u2014", "ok", "a```", "```b");
    const separator = fc.constantFrom(" ", "\n", "\n\n", "\t", " \r\n");
    const run = fc.tuple(token, fc.integer({ min: 1, max: 40 }));
    const text = fc
      .tuple(fc.array(run, { minLength: 1, maxLength: 6 }), separator)
      .map(([runs, sep]) => runs.map(([t, n]) => Array(n).fill(t).join(sep)).join(sep));
    let found = 0;
    fc.assert(
      fc.property(text, (t) => {
        const expected = referenceRun(t) ?? referenceMarkRun(t);
        if (expected && !referenceRun(t)) found++;
        assert.deepEqual(degenerateRun(t), expected);
      }),
      { numRuns: 500 },
    );
    assert.ok(found > 50, `${found}`);
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

/** What `wordHashes` means by a word character: ASCII letters and digits, and from U+00AA all but spaces, punctuation blocks and CJK commas. */
const isWordCharacter = (code: number) =>
  (code >= 97 && code <= 122) ||
  (code >= 48 && code <= 57) ||
  (code >= 65 && code <= 90) ||
  (code >= 0xaa && !(code >= 0x2000 && code <= 0x2bff) && code !== 0x1680 && code !== 0x3000 && code !== 0xff0c && code !== 0x3002 && code !== 0xfeff);

/** The words of `text` as code units, ASCII lower-cased, hashed one by one (FNV-1a). */
function referenceWordHashes(text: string): { hashes: number[]; numberSum: number } {
  const hashes: number[] = [];
  let numberSum = 0;
  let current: number[] = [];
  const flush = () => {
    if (current.length === 0) return;
    let h = 0x811c9dc5;
    for (const code of current) h = Math.imul(h ^ (code >= 65 && code <= 90 ? code + 32 : code), 0x01000193);
    hashes.push(h >>> 0);
    if (current.some((code) => code >= 48 && code <= 57)) numberSum = (numberSum + fmix32(h >>> 0)) >>> 0;
    current = [];
  };
  for (let i = 0; i < text.length; i++) {
    const code = text.charCodeAt(i);
    if (isWordCharacter(code)) current.push(code);
    else flush();
  }
  flush();
  return { hashes, numberSum };
}

describe("wordHashes", () => {
  const unit = fc.constantFrom(
    "a",
    "B",
    "z",
    "7",
    "0",
    " ",
    "  ",
    ".",
    "-",
    "\n",
    "é",
    "Ä",
    "한",
    "中",
    "\u2014",
    "\u3000",
    "\ufeff",
    "\u00a0",
    "\u1680",
    "\ud83d",
  );

  it("appends the hashes of the words as strings, whatever the range, after what the list held, sums those with a digit and counts those before the mark", () => {
    fc.assert(
      fc.property(
        fc.string({ unit, maxLength: 80 }),
        fc.nat(),
        fc.nat(),
        fc.array(fc.nat(), { maxLength: 3 }),
        fc.integer({ min: -2, max: 90 }),
        (text, a, b, held, at) => {
          const start = a % (text.length + 1);
          const end = start + (b % (text.length - start + 1));
          const list = new WordList();
          for (const h of held) list.push(h);
          const numbers = { sum: 5 };
          const mark = { at, words: -1 };
          wordHashes(text, list, start, end, numbers, mark);
          const expected = referenceWordHashes(text.slice(start, end));
          assert.deepEqual(Array.from(list.data.subarray(0, list.length)), [...held, ...expected.hashes]);
          assert.equal(numbers.sum, (5 + expected.numberSum) >>> 0);
          // A word the mark cuts started before it.
          const beforeMark = referenceWordHashes(text.slice(start, Math.max(start, Math.min(end, at)))).hashes.length;
          assert.equal(mark.words, held.length + beforeMark);
        },
      ),
      { numRuns: 1000 },
    );
  });

  it("makes room for every word when the list is all but full and the words are one character each", () => {
    for (let held = 1000; held <= 1030; held++) {
      for (let count = 1; count <= 40; count++) {
        for (const text of ["a ".repeat(count), ` ${"a ".repeat(count).trim()}`, "a ".repeat(count).trim()]) {
          const list = new WordList();
          for (let i = 0; i < held; i++) list.push(i);
          wordHashes(text, list);
          assert.equal(list.length, held + count, JSON.stringify({ held, text }));
          assert.equal(list.data[list.length - 1], referenceWordHashes("a").hashes[0]);
        }
      }
    }
  });

  it("reads a text of several blocks as one, with words across the blocks' edges and a list that grows many times", () => {
    const vocabulary = ["alpha", "x7", "Überweg", "한국어", "b", "2021", "ZZ"];
    const separators = [" ", ", ", "\n", "  —  "];
    let state = 7;
    const next = (n: number) => {
      state = (Math.imul(state, 1103515245) + 12345) >>> 0;
      return state % n;
    };
    const parts: string[] = [];
    for (let length = 0; length < 300_000;) {
      const piece = vocabulary[next(vocabulary.length)] + separators[next(separators.length)];
      parts.push(piece);
      length += piece.length;
    }
    const text = `${parts.join("")}last9`;
    const list = new WordList();
    const numbers = { sum: 0 };
    const mark = { at: 100_003, words: -1 };
    wordHashes(text, list, 0, text.length, numbers, mark);
    const expected = referenceWordHashes(text);
    assert.ok(expected.hashes.length > 30_000);
    assert.deepEqual(Array.from(list.data.subarray(0, list.length)), expected.hashes);
    assert.equal(numbers.sum, expected.numberSum);
    assert.equal(mark.words, referenceWordHashes(text.slice(0, mark.at)).hashes.length);
  });

  it("notes in the list's kinds, for every code unit, whether the content rules must scan it and whether ROUGE reads it as a word of its own", () => {
    let checked = 0;
    for (let code = 0; code < 65536; code++) {
      const text = String.fromCharCode(code);
      const list = new WordList();
      wordHashes(`a${text}b`, list);
      const listed = (list.kinds & checkedCharBit) !== 0;
      assert.equal(listed, mayNeedChecks.test(text), `U+${code.toString(16)}`);
      if (listed) checked++;
      const rouge = new WordList();
      const ownWord = rougeWordHashes(`a${text}b`, rouge, 10) === 3 && list.length === 1;
      assert.equal((list.kinds & ideographBit) !== 0, ownWord, `U+${code.toString(16)}`);
    }
    assert.ok(checked > 1000);
    const list = new WordList();
    wordHashes("plain words, 42 of them.", list);
    wordHashes("more", list);
    assert.equal(list.kinds & (checkedCharBit | ideographBit), 0);
  });
});

/** A prompt's segments as documented: each line, and a long line cut after a sentence end (. ? ! or their CJK forms, then a space or a tab) once its piece has 80 characters. */
function referenceSegments(text: string): string[] {
  const segments: string[] = [];
  for (const line of text.split("\n")) {
    let start = 0;
    for (let i = 0; i < line.length; i++) {
      if (i - start >= 80 && ".?!\u3002\uff1f\uff01".includes(line[i]) && (line[i + 1] === " " || line[i + 1] === "\t")) {
        segments.push(line.slice(start, i + 1));
        start = i + 1;
      }
    }
    segments.push(line.slice(start));
  }
  return segments.filter((segment) => referenceWordHashes(segment).hashes.length > 0);
}

describe("a prompt's segments in the sketch", () => {
  it("are its lines and a long line's sentences, each hashed by its words", () => {
    const piece = fc.constantFrom("word", "Another one", "7", "end.", "why?", "yes!", "。", ". ", "!\t", "? ", " ", "\n", "\n\n", "다음 문장.");
    const prompt = fc.array(piece, { maxLength: 120 }).map((pieces) => pieces.join(""));
    fc.assert(
      fc.property(prompt, (text) => {
        const fields: TextField[] = [
          { path: ["instruction"], text, role: "user", name: "instruction" },
          { path: ["output"], text: "An answer.", role: "assistant", name: "output" },
        ];
        const expected = referenceSegments(text).slice(0, 32);
        const { sketch } = rowSides(fields);
        assert.equal(sketch[0], expected.length);
        expected.forEach((segment, i) => {
          if (i === 31) return; // the last kept segment also takes the words of any after it
          const { hashes } = referenceWordHashes(segment);
          assert.equal(sketch[2 + i * 17], hashWords(Uint32Array.from(hashes), 0, hashes.length), `segment ${i}: ${JSON.stringify(segment)}`);
        });
      }),
      { numRuns: 500 },
    );
  });

  it("cut a long line after each sentence end from its piece's 80th character on", () => {
    const piece = fc.constantFrom("a. ", "bb! ", "ccc? ", "d ", "e.\t", "f.", "다음。 ");
    const line = fc.array(piece, { minLength: 20, maxLength: 150 }).map((pieces) => pieces.join(""));
    fc.assert(
      fc.property(line, (text) => {
        const fields: TextField[] = [
          { path: ["instruction"], text, role: "user", name: "instruction" },
          { path: ["output"], text: "An answer.", role: "assistant", name: "output" },
        ];
        const expected = referenceSegments(text);
        fc.pre(expected.length < 32);
        const { sketch } = rowSides(fields);
        assert.deepEqual(
          Array.from({ length: sketch[0] }, (_, i) => sketch[2 + i * 17]),
          expected.map((segment) => {
            const { hashes } = referenceWordHashes(segment);
            return hashWords(Uint32Array.from(hashes), 0, hashes.length);
          }),
        );
      }),
      { numRuns: 500 },
    );
  });
});

/** One-permutation MinHash over the shingles' hashes as Shrivastava (2017) writes it, in floating point: each empty bin takes the next filled one's value to its right (wrapping), plus its distance times the bin width. */
function referenceSignature(words: number[], bins: number): number[] | undefined {
  if (words.length < 5) return undefined;
  const width = 2 ** 32 / bins;
  const signature: Array<number | undefined> = new Array<number | undefined>(bins).fill(undefined);
  const typed = Uint32Array.from(words);
  for (let i = 0; i + 5 <= words.length; i++) {
    const h = shingleHash(typed, i);
    const bin = Math.floor(h / width);
    signature[bin] = Math.min(signature[bin] ?? Infinity, h % width);
  }
  return signature.map((value, bin) => {
    if (value !== undefined) return value;
    let distance = 1;
    while (signature[(bin + distance) % bins] === undefined) distance++;
    return (signature[(bin + distance) % bins]! + distance * width) % 2 ** 32;
  });
}

describe("signatureOfWords", () => {
  it("is one-permutation MinHash with the empty bins filled from the right, however few the shingles", () => {
    fc.assert(
      fc.property(fc.array(fc.nat({ max: 0xffffffff }), { minLength: 4, maxLength: 40 }), fc.constantFrom(4, 16, 128), (words, bins) => {
        const signed = signatureOfWords(Uint32Array.from(words), bins, 0, words.length);
        assert.deepEqual(signed && Array.from(signed), referenceSignature(words, bins));
      }),
      { numRuns: 1000 },
    );
  });
});

import assert from "node:assert/strict";
import { describe, it } from "node:test";
import fc from "fast-check";
import { readLineBatches, readLines, ReadLine, scanLineBreaks } from "../../src/core/jsonl/lineReader";

async function collect(chunks: Array<string | number[]>, maxLineBytes?: number): Promise<ReadLine[]> {
  async function* source() {
    for (const chunk of chunks) yield typeof chunk === "string" ? new TextEncoder().encode(chunk) : Uint8Array.from(chunk);
  }
  const lines: ReadLine[] = [];
  for await (const line of readLines(source(), { maxLineBytes })) lines.push(line);
  return lines;
}

describe("readLines", () => {
  it("splits LF and CRLF lines and numbers them from 1", async () => {
    const lines = await collect(['{"a":1}\r\n{"b":2}\n', '{"c":3}']);
    assert.deepEqual(
      lines.map((l) => [l.lineNumber, l.text]),
      [
        [1, '{"a":1}'],
        [2, '{"b":2}'],
        [3, '{"c":3}'],
      ],
    );
  });

  it("joins a line split across chunks, even inside a multi-byte character", async () => {
    const bytes = Array.from(new TextEncoder().encode('{"k":"한국어"}\n'));
    const lines = await collect([bytes.slice(0, 8), bytes.slice(8, 9), bytes.slice(9)]);
    assert.deepEqual(
      lines.map((l) => [l.text, l.invalidUtf8]),
      [['{"k":"한국어"}', false]],
    );
  });

  it("drops a UTF-8 BOM on the first line only", async () => {
    const lines = await collect([[0xef, 0xbb, 0xbf, ...new TextEncoder().encode('{"a":1}\n{"b":2}')]]);
    assert.equal(lines[0].text, '{"a":1}');
    assert.equal(lines[1].text, '{"b":2}');
  });

  it("flags invalid UTF-8 and keeps the rest of the line", async () => {
    const lines = await collect([[0x7b, 0x22, 0x61, 0x22, 0x3a, 0x22, 0xff, 0x22, 0x7d, 0x0a]]);
    assert.equal(lines[0].invalidUtf8, true);
    assert.equal(lines[0].text, '{"a":"\uFFFD"}');
  });

  it("reports a line over the limit as too long without holding it", async () => {
    const lines = await collect(["x".repeat(50), "y".repeat(60), '\n{"ok":1}\n'], 100);
    assert.deepEqual(
      lines.map((l) => [l.tooLong, l.byteLength, l.text]),
      [
        [true, 110, ""],
        [false, 8, '{"ok":1}'],
      ],
    );
  });

  it("reports blank lines and no phantom line after the final newline", async () => {
    const lines = await collect(['{"a":1}\n\n{"b":2}\n']);
    assert.deepEqual(
      lines.map((l) => l.text),
      ['{"a":1}', "", '{"b":2}'],
    );
  });

  it("breaks lines at a lone CR as VS Code numbers them, and says which ending each line had", async () => {
    const lines = await collect(['{"a":1}\r{"b":2}\r\n{"c":3}\r', '\n{"d":4}\r']);
    assert.deepEqual(
      lines.map((l) => [l.lineNumber, l.text, l.eol]),
      [
        [1, '{"a":1}', "\r"],
        [2, '{"b":2}', "\r\n"],
        [3, '{"c":3}', "\r\n"],
        [4, '{"d":4}', "\r"],
      ],
    );
  });

  it("reads a UTF-16 file as one marked line and nothing else", async () => {
    const le = await collect([[0xff, 0xfe, 0x7b, 0, 0x7d, 0, 0x0a, 0]]);
    assert.deepEqual(
      le.map((l) => [l.lineNumber, l.utf16]),
      [[1, "utf-16le"]],
    );
    const withoutBom = await collect([[0, 0x7b, 0, 0x7d, 0, 0x0a]]);
    assert.equal(withoutBom[0].utf16, "utf-16be");
  });

  it("splits any text cut into any chunks as VS Code does: LF, CRLF and lone CR, each line with its ending", async () => {
    const expected = (text: string) => {
      const lines: Array<{ text: string; eol: string }> = [];
      let start = 0;
      for (const match of text.matchAll(/\r\n|\r|\n/g)) {
        lines.push({ text: text.slice(start, match.index), eol: match[0] });
        start = match.index + match[0].length;
      }
      if (start < text.length) lines.push({ text: text.slice(start), eol: "" });
      return lines;
    };
    const pieces = fc.constantFrom("a", "é", "한", "\r", "\n", "\r\n", "{}", " ");
    await fc.assert(
      fc.asyncProperty(fc.array(pieces, { maxLength: 60 }), fc.array(fc.nat(), { maxLength: 8 }), async (parts, cuts) => {
        const text = parts.join("");
        const bytes = new TextEncoder().encode(text);
        const at = [...new Set(cuts.map((c) => c % (bytes.length + 1)))].sort((a, b) => a - b);
        const chunks = [0, ...at].map((from, i) => Array.from(bytes.subarray(from, [...at, bytes.length][i])));
        const lines = await collect(chunks);
        assert.deepEqual(
          lines.map((l) => ({ text: l.text, eol: l.eol })),
          expected(text),
        );
        assert.deepEqual(
          lines.map((l) => l.lineNumber),
          lines.map((_, i) => i + 1),
        );
      }),
      { numRuns: 500 },
    );
  });

  it("gives the same lines in batches, each batch bounded in lines however short they are", async () => {
    // 10,000 empty lines in one chunk, a CRLF row across chunks, and 9,000 lone CRs with no final newline.
    const chunks = ["\n".repeat(10_000) + '{"a":', '1}\r\n{"b":2}', "\r".repeat(9_000)];
    const source = async function* () {
      for (const chunk of chunks) yield new TextEncoder().encode(chunk);
    };
    const batches: ReadLine[][] = [];
    for await (const batch of readLineBatches(source())) batches.push(batch);
    const lines: ReadLine[] = [];
    for await (const line of readLines(source())) lines.push(line);
    assert.deepEqual(batches.flat(), lines);
    assert.equal(lines.length, 10_000 + 1 + 9_000);
    assert.deepEqual([lines[10_000].text, lines[10_000].eol, lines[10_001].text, lines[10_001].eol], ['{"a":1}', "\r\n", '{"b":2}', "\r"]);
    assert.ok(batches.length >= 5, `${batches.length} batches`);
    assert.ok(Math.max(...batches.map((b) => b.length)) <= 4096);
  });

  it("scanLineBreaks finds the first lone CR at the line VS Code shows it on, across chunks", async () => {
    const scan = async (chunks: string[]) =>
      scanLineBreaks(
        (async function* () {
          for (const c of chunks) yield new TextEncoder().encode(c);
        })(),
      );
    assert.deepEqual(await scan(["a\r\nb\n", "c\r", "\nd\re\n"]), { firstLoneCrLine: 3 });
    assert.deepEqual(await scan(["a\r\nb\r", "\nc\n"]), {});
    assert.deepEqual(await scan(["a\nb\r"]), { firstLoneCrLine: 1 });
    assert.deepEqual(await scan(["\uFEFFa"]), {});
  });
});

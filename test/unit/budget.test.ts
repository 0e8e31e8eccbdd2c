import assert from "node:assert/strict";
import { describe, it } from "node:test";
import fc from "fast-check";
import { parseTrainingConfig } from "../../src/core/config/trainingConfig";
import { trainingBudget } from "../../src/core/budget/budget";
import { distribution, histogram } from "../../src/core/budget/distribution";
import { packFirstFitDecreasing } from "../../src/core/budget/packing";

const rows = (...tokens: number[]) => tokens.map((t) => ({ tokens: t, trained: Math.floor(t / 2), trainedWithinLimit: 0 }));

describe("training budget", () => {
  it("first-fit decreasing: hand-packed bins", () => {
    // 7, 5, 4, 3, 1 into 10: [7 3] [5 4 1] -> 2 bins, 20 of 20 tokens.
    assert.deepEqual(packFirstFitDecreasing([4, 7, 1, 5, 3], 10), { bins: 2, efficiency: 1 });
    // 6, 6, 6 into 10: one per bin.
    assert.deepEqual(packFirstFitDecreasing([6, 6, 6], 10), { bins: 3, efficiency: 18 / 30 });
    assert.equal(packFirstFitDecreasing([], 10).bins, 0);
  });

  it("rows the trainer removes in preparation (TRL's and Unsloth's fully masked rows) neither count nor take steps", () => {
    const data = [...rows(10, 20, 30), { tokens: 40, trained: 0, dropped: true }];
    const budget = trainingBudget(data, { trainer: "trl", sequenceLen: 100, microBatchSize: 1 });
    assert.equal(budget.rows, 4);
    assert.equal(budget.keptRows, 3);
    assert.equal(budget.totalNumTokens, 60);
    assert.equal(budget.steps.perEpochWithoutPacking, 3);
  });

  it("first-fit decreasing matches a plain first-fit over the sorted rows, on random rows", () => {
    fc.assert(
      fc.property(fc.array(fc.integer({ min: 1, max: 100 }), { maxLength: 200 }), fc.integer({ min: 100, max: 300 }), (lengths, capacity) => {
        const free: number[] = [];
        for (const l of [...lengths].sort((a, b) => b - a)) {
          const bin = free.findIndex((f) => f >= l);
          if (bin === -1) free.push(capacity - l);
          else free[bin] -= l;
        }
        assert.equal(packFirstFitDecreasing(lengths, capacity).bins, free.length);
      }),
    );
  });

  it("percentiles by nearest rank, and a histogram with an edge at the limit", () => {
    assert.deepEqual(distribution([5, 1, 3, 2, 4]), { total: 15, min: 1, p50: 3, p95: 5, max: 5 });
    const bins = histogram([100, 900, 1500, 2100], 2048, 8);
    assert.ok(
      bins.some((b) => b.to === 2048),
      JSON.stringify(bins),
    );
    assert.equal(
      bins.reduce((n, b) => n + b.rows, 0),
      4,
    );
    assert.equal(bins[bins.length - 1].rows, 1, "the row over the limit is in the last bin");
  });

  it("the seed card's shape: 1,000 long rows, sequence_len 32768, packing, 4 GPUs x micro batch 1 x accumulation 4, 5 epochs", () => {
    const config = parseTrainingConfig(
      [
        "sequence_len: 32768",
        "sample_packing: true",
        "micro_batch_size: 1",
        "gradient_accumulation_steps: 4",
        "num_epochs: 5",
        "warmup_ratio: 0.05",
        "datasets:",
        "  - path: s1k.jsonl",
        "    type: chat_template",
      ].join("\n"),
    );
    // 1,000 rows of 9,000 to 18,990 tokens (10 apart), and 10 rows over the limit.
    const lengths = [...Array.from({ length: 1000 }, (_, i) => 9000 + (i % 1000) * 10), ...Array(10).fill(40_000)];
    const budget = trainingBudget(rows(...lengths), { ...config.schedule, sequenceLen: config.sequenceLen, gpus: 4 });
    assert.equal(budget.batch, 16);
    assert.equal(budget.overLimit, 10);
    assert.equal(budget.keptRows, 1000);
    assert.equal(budget.steps.perEpochWithoutPacking, Math.ceil(1000 / 16));
    assert.equal(budget.steps.withoutPacking, Math.ceil((1000 * 5) / 16));
    const bins = packFirstFitDecreasing(lengths.slice(0, 1000), 32768).bins;
    assert.equal(budget.bins, bins);
    assert.equal(budget.steps.perEpochWithPacking, Math.ceil(bins / 16));
    assert.equal(budget.steps.withPacking, Math.ceil((bins * 5) / 16));
    assert.equal(budget.totalNumSteps, budget.steps.withPacking);
    assert.equal(budget.warmupSteps, Math.ceil(0.05 * budget.steps.withPacking));
    // Two or three rows share a 32,768-token bin: about 460 bins, some 30 optimizer steps an epoch
    // (62 without packing), the order of the card's "too few steps to learn well".
    assert.ok(budget.bins > 400 && budget.bins < 500, String(budget.bins));
    assert.ok(budget.steps.perEpochWithPacking >= 25 && budget.steps.perEpochWithPacking <= 32, String(budget.steps.perEpochWithPacking));
    assert.equal(
      budget.totalNumTokens,
      lengths.slice(0, 1000).reduce((a, b) => a + b, 0),
    );
  });

  it("excess_length_strategy: drop removes long rows, truncate keeps them cut, raise keeps them and says so", () => {
    const settings = { sequenceLen: 100, microBatchSize: 2 };
    const data = rows(50, 150, 80);
    assert.equal(trainingBudget(data, settings).keptRows, 2);
    const truncated = trainingBudget(data, { ...settings, excessLengthStrategy: "truncate" });
    assert.equal(truncated.keptRows, 3);
    assert.equal(truncated.totalNumTokens, 50 + 100 + 80);
    assert.equal(truncated.totalSupervisedTokens, 25 + 0 + 40, "the truncated row's trained tokens within the limit");
    assert.equal(trainingBudget(data, { ...settings, excessLengthStrategy: "raise" }).excessLengthStrategy, "raise");
  });

  it("defaults: one GPU, micro batch 1, no accumulation, one epoch, warmup_steps over warmup_ratio", () => {
    const budget = trainingBudget(rows(10, 20, 30), { warmupSteps: 2, warmupRatio: 0.5 });
    assert.deepEqual(budget.steps, { withoutPacking: 3, withPacking: 3, perEpochWithoutPacking: 3, perEpochWithPacking: 3 });
    assert.equal(budget.warmupSteps, 2);
    assert.equal(budget.trainedTokens, 5 + 10 + 15);
  });
});

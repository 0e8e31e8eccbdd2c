import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { trainingBudget } from "../../src/core/budget/budget";
import { PackingRule, packRows } from "../../src/core/budget/trainerPacking";
import { readFixture } from "./trlReferenceCases";

const cases = readFixture<Record<string, { capacity: number; lengths: number[] }>>("packing-cases.json");
const references = readFixture<{ source: string; results: Record<string, { bins: number; placed: number }> }>("packing-references.json");

const rules: Record<string, PackingRule> = {
  "llama-factory": { trainer: "llama-factory" },
  "trl-bfd": { trainer: "trl", strategy: "bfd" },
  "trl-bfd_split": { trainer: "trl", strategy: "bfd_split" },
  "trl-wrapped": { trainer: "trl", strategy: "wrapped" },
};

describe(`packing as each trainer packs, against their own code (${references.source})`, () => {
  for (const [name, { capacity, lengths }] of Object.entries(cases)) {
    for (const [ruleName, rule] of Object.entries(rules)) {
      it(`${name}: ${ruleName}`, () => {
        const expected = references.results[`${name}/${ruleName}`];
        const packed = packRows(lengths, capacity, rule);
        assert.equal(packed.bins, expected.bins);
        assert.equal(Math.round(packed.efficiency * packed.bins * capacity), expected.placed);
      });
    }
  }

  it("the budget counts packed steps with the trainer's packing: LLaMA-Factory's knapsack fills fewer sequences than TRL's truncating bfd on long rows", () => {
    const { capacity, lengths } = cases["long-rows-1200-cap-300"];
    const rows = lengths.map((tokens) => ({ tokens: Math.min(tokens, capacity), trained: 1 }));
    const lf = trainingBudget(rows, { trainer: "llama-factory", sequenceLen: capacity, samplePacking: true });
    const trl = trainingBudget(
      lengths.map((tokens) => ({ tokens, trained: 1 })),
      { trainer: "trl", sequenceLen: capacity, samplePacking: true },
    );
    assert.equal(
      lf.bins,
      packRows(
        rows.map((r) => r.tokens),
        capacity,
        { trainer: "llama-factory" },
      ).bins,
    );
    assert.equal(trl.bins, references.results["long-rows-1200-cap-300/trl-bfd"].bins);
    assert.equal(trl.steps.perEpochWithPacking, trl.bins);
  });
});

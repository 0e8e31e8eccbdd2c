import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { templateSourceFromConfig } from "../../src/core/templates/chatTemplate";
import { trlDefaults, TrlSettings } from "../../src/core/trainers/trl/trlSettings";
import { chatTemplateParts } from "../../src/core/trainers/unsloth/chatTemplateParts";
import { markerTokens } from "../../src/core/trainers/unsloth/markerTokens";
import { responsesOnlyOf } from "../../src/core/trainers/unsloth/responsesOnlySettings";
import { compareWithReferences, readFixture, Reference, ReferenceCases } from "./trlReferenceCases";

interface Variant {
  sft?: Record<string, unknown>;
  unsloth: Record<string, unknown>;
}
const cases = readFixture<ReferenceCases<Variant> & { parts: Record<string, { instruction_part: string; response_part: string }> }>("unsloth-cases.json");
const references = readFixture<{ source: string; results: Record<string, Reference> }>("unsloth-references.json");

/** A variant as the settings a `trl sft` YAML with a `train_on_responses_only` key gives. */
function settingsOf(variant: Variant, tokenizerName: string): TrlSettings {
  const settings: TrlSettings = { ...trlDefaults };
  const sft = variant.sft ?? {};
  if (sft.assistant_only_loss === true) settings.assistantOnlyLoss = true;
  if ("max_length" in sft) settings.maxLength = sft.max_length as number;
  if (sft.truncation_mode === "keep_end") settings.truncationMode = "keep_end";
  const { detect, ...options } = variant.unsloth;
  settings.responsesOnly = responsesOnlyOf(detect ? true : { ...("instruction_part" in options ? {} : cases.parts[tokenizerName]), ...options });
  return settings;
}

describe(`Unsloth's train_on_responses_only against its own code (${references.source})`, () => {
  const tokenizers = compareWithReferences(cases, references.results, "scripts/unsloth-references.py", settingsOf, (expected, masked) => {
    if ("removed" in expected)
      assert.ok(
        masked.warnings.some((w) => w.includes("Unsloth removes the row")),
        masked.warnings.join("\n"),
      );
  });

  it("detects Qwen3's markers from its template as Unsloth prints them", () => {
    const tokenizer = tokenizers.get("qwen3")!;
    assert.deepEqual(chatTemplateParts(templateSourceFromConfig(tokenizer.config!), tokenizer), {
      instructionPart: "<|im_start|>user\n",
      responsePart: "<|im_start|>assistant\n",
    });
  });

  it("without force_match, extends a marker over the newlines a tokenizer folds into it", () => {
    const tokenizer = tokenizers.get("llama3_1")!;
    const strict = markerTokens("\n### Response:\n", (text) => tokenizer.encode(text), true);
    const loose = markerTokens("\n### Response:\n", (text) => tokenizer.encode(text), false);
    assert.deepEqual(strict.core, tokenizer.encode("\n### Response:\n"));
    assert.ok(loose.core.length < strict.core.length, "the loose core is the part common to every spacing");
    assert.deepEqual([...loose.left, ...loose.core, ...loose.right], strict.core);
  });
});

import { describe } from "node:test";
import { trlDefaults, TrlSettings } from "../../src/core/trainers/trl/trlSettings";
import { compareWithReferences, readFixture, Reference, ReferenceCases } from "./trlReferenceCases";

const cases = readFixture<ReferenceCases<Record<string, unknown>>>("trl-cases.json");
const references = readFixture<{ source: string; results: Record<string, Reference> }>("trl-references.json");

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
  compareWithReferences(cases, references.results, "scripts/trl-references.py", settingsOf);
});

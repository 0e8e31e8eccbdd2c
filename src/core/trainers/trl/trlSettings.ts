import type { TrlPackingStrategy } from "../../budget/trainerPacking";
import { booleanOf, stringOr } from "../../config/yamlValues";
import { responsesOnlyKey, responsesOnlyOf, ResponsesOnlySettings } from "../unsloth/responsesOnlySettings";

/** The SFTConfig fields that decide what TRL's SFTTrainer trains on, with TRL 1.13's defaults. */
export interface TrlSettings {
  assistantOnlyLoss: boolean;
  /** Undefined: TRL decides from the row (true for prompt-completion rows). */
  completionOnlyLoss?: boolean;
  /** Null: no truncation. */
  maxLength: number | null;
  truncationMode: "keep_start" | "keep_end";
  datasetTextField: string;
  packing: boolean;
  /** `packing_strategy`: bfd (TRL's default), bfd_split or wrapped. */
  packingStrategy?: TrlPackingStrategy;
  /** A .jinja file, or a tokenizer folder whose template TRL clones (`chat_template_path`). */
  chatTemplatePath?: string;
  /** `eos_token`: the token TRL appends to text rows and completions, in place of the tokenizer's. */
  eosToken?: string;
  /** Unsloth's `train_on_responses_only`, applied to what TRL prepared (Unsloth trains through TRL). */
  responsesOnly?: ResponsesOnlySettings;
}

export const trlDefaults: TrlSettings = { assistantOnlyLoss: false, maxLength: 1024, truncationMode: "keep_start", datasetTextField: "text", packing: false };

/** The SFTConfig keys a `trl sft --config` YAML sets (numbers already checked by the config reader). */
export function trlSettingsOf(root: Record<string, unknown>, numbers: Record<string, number>): Partial<TrlSettings> {
  const settings: Partial<TrlSettings> = {};
  const assistantOnly = booleanOf(root.assistant_only_loss);
  if (assistantOnly !== undefined) settings.assistantOnlyLoss = assistantOnly;
  const completionOnly = booleanOf(root.completion_only_loss);
  if (completionOnly !== undefined) settings.completionOnlyLoss = completionOnly;
  if (root.max_length === null) settings.maxLength = null;
  else if (numbers.max_length !== undefined) settings.maxLength = numbers.max_length;
  if (root.truncation_mode === "keep_start" || root.truncation_mode === "keep_end") settings.truncationMode = root.truncation_mode;
  const textField = stringOr(root.dataset_text_field);
  if (textField) settings.datasetTextField = textField;
  const packing = booleanOf(root.packing);
  if (packing !== undefined) settings.packing = packing;
  if (root.packing_strategy === "bfd" || root.packing_strategy === "bfd_split" || root.packing_strategy === "wrapped")
    settings.packingStrategy = root.packing_strategy;
  const templatePath = stringOr(root.chat_template_path);
  if (templatePath) settings.chatTemplatePath = templatePath;
  const eos = stringOr(root.eos_token);
  if (eos) settings.eosToken = eos;
  const responsesOnly = responsesOnlyOf(root[responsesOnlyKey]);
  if (responsesOnly) settings.responsesOnly = responsesOnly;
  return settings;
}

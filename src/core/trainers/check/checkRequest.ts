import type { DatasetInfoEntry } from "../../config/datasetInfo";
import type { TrainingSettings } from "../../training/trainingSettings";
import { lfDefaults } from "../llamaFactory/lfSupervised";
import { trlDefaults } from "../trl/trlSettings";
import type { ViewTrainer } from "../trainerChoice";

/** What the check script is sent: the row, the tokenizer folder and the trainer's own argument names and values. */
export interface TrainerCheckRequest {
  trainer: ViewTrainer;
  tokenizer: string;
  row: unknown;
  config: Record<string, unknown>;
  dataset_info?: Record<string, unknown>;
  chat_template?: string;
  /** Unsloth's train_on_responses_only arguments, applied after TRL's preparation. */
  responses_only?: Record<string, unknown>;
}

/** The settings the view used, under the names TRL's SFTConfig and LLaMA-Factory's DataArguments take. */
export function trainerArguments(trainer: "trl" | "llama-factory", settings: TrainingSettings): Record<string, unknown> {
  if (trainer === "trl") {
    const trl = settings.trl ?? trlDefaults;
    return {
      assistant_only_loss: trl.assistantOnlyLoss,
      ...(trl.completionOnlyLoss !== undefined ? { completion_only_loss: trl.completionOnlyLoss } : {}),
      max_length: trl.maxLength,
      truncation_mode: trl.truncationMode,
      dataset_text_field: trl.datasetTextField,
      packing: trl.packing,
      ...(trl.eosToken ? { eos_token: trl.eosToken } : {}),
    };
  }
  const lf = settings.llamaFactory ?? lfDefaults;
  return {
    template: lf.template ?? null,
    cutoff_len: lf.cutoffLen,
    train_on_prompt: lf.trainOnPrompt,
    mask_history: lf.maskHistory,
    enable_thinking: lf.enableThinking,
    preserve_thinking: lf.preserveThinking,
    ...(lf.defaultSystem ? { default_system: lf.defaultSystem } : {}),
    packing: lf.packing,
  };
}

/**
 * Axolotl's config for its chat_template strategy, as the view reads it: the training config's own
 * keys, with what the view assumed where it is silent (the template named in the settings or the
 * tokenizer's own, the per-message training fields of Axolotl's docs without a config, Axolotl's
 * default sequence_len), and a chat_template_jinja file read in (the check runs in a folder of its own).
 */
export function axolotlArguments(
  settings: TrainingSettings,
  root: Record<string, unknown> | undefined,
  template: { name?: string; jinjaFile?: string },
  readJinja: (path: string) => string | undefined,
): Record<string, unknown> {
  const cfg: Record<string, unknown> = { ...root };
  const datasets = Array.isArray(cfg.datasets) ? cfg.datasets : [];
  const first = typeof datasets[0] === "object" && datasets[0] !== null ? (datasets[0] as Record<string, unknown>) : {};
  const dataset: Record<string, unknown> = {
    type: "chat_template",
    roles_to_train: settings.rolesToTrain,
    train_on_eos: settings.trainOnEos,
    ...(root ? {} : { message_field_training: settings.trainingField, message_field_training_detail: settings.trainingDetailField }),
    ...first,
  };
  cfg.datasets = [dataset, ...datasets.slice(1)];
  if (cfg.chat_template === undefined && dataset.chat_template === undefined) {
    if (template.jinjaFile) Object.assign(cfg, { chat_template: "jinja", chat_template_jinja: template.jinjaFile });
    else cfg.chat_template = template.name ?? "tokenizer_default";
  }
  cfg.sequence_len ??= settings.sequenceLen ?? 512;
  cfg.train_on_inputs ??= settings.trainOnInputs ?? false;
  for (const holder of [cfg, dataset]) {
    const jinja = holder.chat_template_jinja;
    if (typeof jinja === "string" && !jinja.includes("{")) holder.chat_template_jinja = readJinja(jinja) ?? jinja;
  }
  return cfg;
}

/** Unsloth's train_on_responses_only keyword arguments for the view's settings (the parts only where given: none means detect). */
export function responsesOnlyArguments(settings: TrainingSettings): Record<string, unknown> | undefined {
  const options = settings.choice?.trainer === "trl" ? settings.trl?.responsesOnly : undefined;
  if (!options) return undefined;
  const parts =
    options.instructionPart !== undefined || options.responsePart !== undefined
      ? { instruction_part: options.instructionPart ?? null, response_part: options.responsePart ?? null }
      : {};
  return { ...parts, force_match: options.forceMatch, last_response_only: options.lastResponseOnly };
}

/** A dataset_info.json entry as LLaMA-Factory's DatasetAttr.join reads it (columns and tags only where the entry has them). */
export function datasetInfoAttributes(entry: DatasetInfoEntry | undefined): Record<string, unknown> | undefined {
  if (!entry) return undefined;
  return {
    formatting: entry.formatting,
    ranking: entry.ranking,
    ...(entry.columnsGiven ? { columns: entry.columns } : {}),
    ...(entry.tagsGiven ? { tags: entry.tags } : {}),
  };
}

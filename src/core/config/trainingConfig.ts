import { LineCounter, parseDocument } from "yaml";
import { ConfigProblem, readConfigNumbers } from "./configNumbers";
import { booleanOf, stringOr } from "./yamlValues";
import type { FormatId } from "../formats/formatLabels";
import { CanonicalRole, ChatLayout, RoleAliases } from "../formats/layout";
import { axolotlInstructionTypes, customInstructionType, FieldMapping } from "../formats/instructionTypes";
import { InferredTrainer, inferTrainer } from "../trainers/trainerChoice";
import { TrlSettings, trlSettingsOf } from "../trainers/trl/trlSettings";
import type { LfSettings } from "../trainers/llamaFactory/lfSupervised";
import { lfSettingsOf } from "../trainers/llamaFactory/lfSettings";

/** A training config is a few kilobytes; one past this is a wrong path (a dataset?), and is not parsed: YAML parsing of 100 MB takes seconds and gigabytes. */
export const maxConfigBytes = 4 * 1024 * 1024;

/** Why a file of this size is not read as a training config, if it is not (the editor's and the CLI's words). */
export function configSizeProblem(size: number): string | undefined {
  if (size <= maxConfigBytes) return undefined;
  return `it is ${(size / 1024 / 1024).toFixed(0)} MB; a config is a few KB, and files over ${maxConfigBytes / 1024 / 1024} MB are not read (is it the dataset?)`;
}

/** What an Axolotl training config says about the dataset and what gets trained. */
export interface TrainingConfig extends FieldMapping {
  format?: FormatId;
  sequenceLen?: number;
  chatTemplate?: string;
  chatTemplateJinja?: string;
  trainOnInputs?: boolean;
  rolesToTrain?: string[];
  trainOnEos?: "all" | "turn" | "last" | "none";
  eotTokens?: string[];
  /** `message_field_training` / `message_field_training_detail`: a turn's keys that say whether, and which characters of it, are trained. */
  messageFieldTraining?: string;
  messageFieldTrainingDetail?: string;
  /** The settings that decide the number of optimizer steps. */
  schedule?: TrainingSchedule;
  /** The datasets' `path`s that name files or folders (not hub ids), as written. */
  datasetPaths?: string[];
  /** Values that were not used, each naming its key (out-of-range or mistyped numbers). */
  problems?: ConfigProblem[];
  /** The trainer the config's keys say it is written for. */
  trainer?: InferredTrainer;
  /** TRL's SFTConfig keys, as `trl sft --config` reads them. */
  trl?: Partial<TrlSettings>;
  /** LLaMA-Factory's data arguments. */
  llamaFactory?: Partial<LfSettings>;
}

/** Axolotl's batch and length settings, as the training budget reads them. */
export interface TrainingSchedule {
  samplePacking?: boolean;
  microBatchSize?: number;
  gradientAccumulationSteps?: number;
  numEpochs?: number;
  warmupRatio?: number;
  warmupSteps?: number;
  /** Rows with fewer tokens are dropped (Axolotl's `min_sample_len`, default 2). */
  minSampleLen?: number;
  /** What Axolotl does with rows longer than `sequence_len` (default drop). */
  excessLengthStrategy?: "drop" | "truncate" | "raise";
}

export class TrainingConfigError extends Error {}

const isRecord = (v: unknown): v is Record<string, unknown> => typeof v === "object" && v !== null && !Array.isArray(v);

/** The format and key mapping an Axolotl dataset `type:` names (a name, or a custom mapping). */
function datasetFormat(dataset: Record<string, unknown>): Pick<TrainingConfig, "format" | "instructionType" | "textField"> {
  const type = dataset.type;
  const custom = customInstructionType(type);
  if (custom) return { format: "alpaca", instructionType: custom };
  const name = typeof type === "string" ? type : undefined;
  if (!name) return {};
  // `context_qa.load_v2`, `alpaca_chat.load_qa`: the module's name picks the layout.
  const base = name.split(".")[0];
  if (Object.hasOwn(axolotlInstructionTypes, base) && base !== "alpaca") return { format: "alpaca", instructionType: axolotlInstructionTypes[base] };
  if (name === "alpaca" || name.startsWith("alpaca")) return { format: "alpaca" };
  if (name === "sharegpt" || name.startsWith("sharegpt")) return { format: "sharegpt" };
  if (name === "input_output") return { format: "input-output" };
  if (name === "completion" || name === "pretrain")
    return { format: "text", ...(typeof dataset.field === "string" && dataset.field ? { textField: dataset.field } : {}) };
  return {};
}

/**
 * Reads an Axolotl YAML config: the first dataset's type and field mapping (`field_messages`,
 * `message_property_mappings` or the older `message_field_role`/`message_field_content`, `roles`)
 * and the training settings the preview and the length rule need.
 */
export function parseTrainingConfig(text: string): TrainingConfig {
  const lines = new LineCounter();
  const document = parseDocument(text, { prettyErrors: true, lineCounter: lines });
  if (document.errors.length > 0) throw new TrainingConfigError(`Invalid YAML: ${document.errors[0].message}`);
  const root: unknown = document.toJS();
  if (!isRecord(root)) throw new TrainingConfigError("The training config is not a YAML mapping.");
  const { numbers, problems } = readConfigNumbers(root, document, lines);
  const config: TrainingConfig = { schedule: schedule(root, numbers) };
  if (problems.length > 0) config.problems = problems;
  const trainer = inferTrainer(root);
  if (trainer) config.trainer = trainer;
  const trl = trlSettingsOf(root, numbers);
  if (Object.keys(trl).length > 0) config.trl = trl;
  const llamaFactory = lfSettingsOf(root, numbers);
  if (Object.keys(llamaFactory).length > 0) config.llamaFactory = llamaFactory;
  const datasets = Array.isArray(root.datasets) ? root.datasets.filter(isRecord) : [];
  const dataset = datasets[0];
  if (dataset) {
    const type = dataset.type;
    Object.assign(config, datasetFormat(dataset));
    if (type === "chat_template" || dataset.field_messages || dataset.message_property_mappings) {
      const mappings = isRecord(dataset.message_property_mappings) ? dataset.message_property_mappings : {};
      const field = stringOr(dataset.field_messages) ?? "messages";
      const roleKey = stringOr(mappings.role) ?? stringOr(dataset.message_field_role) ?? "role";
      const contentKey = stringOr(mappings.content) ?? stringOr(dataset.message_field_content) ?? "content";
      config.layout = { field, roleKey, contentKey, ...thinkingOf(dataset, mappings) };
      config.format = roleKey === "from" ? "sharegpt" : "openai";
    }
    if (isRecord(dataset.roles)) {
      const roles: RoleAliases = { system: ["system"], user: [], assistant: [], tool: ["tool"] };
      for (const [role, names] of Object.entries(dataset.roles)) {
        if (Object.hasOwn(roles, role) && Array.isArray(names)) roles[role as CanonicalRole] = names.filter((n): n is string => typeof n === "string");
      }
      config.roles = roles;
    }
    if (Array.isArray(dataset.roles_to_train)) config.rolesToTrain = dataset.roles_to_train.filter((r): r is string => typeof r === "string");
    const eos = dataset.train_on_eos;
    if (eos === "all" || eos === "turn" || eos === "last" || eos === "none") config.trainOnEos = eos;
    config.chatTemplate = stringOr(dataset.chat_template);
    config.messageFieldTraining = stringOr(dataset.message_field_training);
    config.messageFieldTrainingDetail = stringOr(dataset.message_field_training_detail);
  }
  const paths = datasets.map((d) => d.path).filter((p): p is string => typeof p === "string" && looksLocal(p));
  if (paths.length > 0) config.datasetPaths = paths;
  if (numbers.sequence_len !== undefined) config.sequenceLen = numbers.sequence_len;
  else {
    // LLaMA-Factory's cutoff_len and TRL's max_length (max_seq_length before TRL 0.20): both truncate.
    const other = numbers.cutoff_len ?? numbers.max_length ?? numbers.max_seq_length;
    if (other !== undefined) {
      config.sequenceLen = other;
      config.schedule = { ...config.schedule, excessLengthStrategy: config.schedule?.excessLengthStrategy ?? "truncate" };
    }
  }
  config.chatTemplate = config.chatTemplate ?? stringOr(root.chat_template);
  config.chatTemplateJinja = stringOr(root.chat_template_jinja);
  if (typeof root.train_on_inputs === "boolean") config.trainOnInputs = root.train_on_inputs;
  if (Array.isArray(root.eot_tokens)) config.eotTokens = root.eot_tokens.filter((t): t is string => typeof t === "string");
  return config;
}

/**
 * Axolotl passes a turn's `field_thinking` (default reasoning_content) to the template as
 * `template_thinking_key` (default reasoning_content), when no message_property_mappings are given.
 */
function thinkingOf(dataset: Record<string, unknown>, mappings: Record<string, unknown>): Pick<ChatLayout, "thinking"> {
  const field = stringOr(dataset.field_thinking) ?? "reasoning_content";
  const templateKey = stringOr(dataset.template_thinking_key) ?? "reasoning_content";
  return Object.keys(mappings).length === 0 && field !== templateKey ? { thinking: { field, templateKey } } : {};
}

/** A dataset `path` that is a local file or folder rather than a hub id (`org/name`). */
function looksLocal(path: string): boolean {
  return /^(\.{0,2}\/|~|[A-Za-z]:[\\/])/.test(path) || /\.(jsonl?|ndjson|parquet|csv|arrow)$/i.test(path);
}

/** Axolotl's names first, then LLaMA-Factory's and TRL's (Hugging Face TrainingArguments) where they mean the same. */
function schedule(root: Record<string, unknown>, numbers: Record<string, number>): TrainingSchedule {
  const strategy = root.excess_length_strategy;
  return {
    samplePacking: booleanOf(root.sample_packing) ?? booleanOf(root.packing),
    microBatchSize: numbers.micro_batch_size ?? numbers.per_device_train_batch_size,
    gradientAccumulationSteps: numbers.gradient_accumulation_steps,
    numEpochs: numbers.num_epochs ?? numbers.num_train_epochs,
    warmupRatio: numbers.warmup_ratio,
    warmupSteps: numbers.warmup_steps,
    minSampleLen: numbers.min_sample_len,
    excessLengthStrategy: strategy === "drop" || strategy === "truncate" || strategy === "raise" ? strategy : undefined,
  };
}

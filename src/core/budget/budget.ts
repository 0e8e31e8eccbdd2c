import type { TrainingSchedule } from "../config/trainingConfig";
import { Distribution, distribution, histogram, HistogramBin } from "./distribution";
import { packRows, TrlPackingStrategy } from "./trainerPacking";
import type { ViewTrainer } from "../trainers/trainerChoice";

/** One row as the trainer builds it: its tokens, the trained ones, and how many of those fall within the first `sequenceLen`. */
export interface RowTokens {
  tokens: number;
  trained: number;
  /** Trained tokens left when the row is truncated to `sequenceLen` (Axolotl's `truncate`). */
  trainedWithinLimit?: number;
  /** The trainer removes the row in preparation (TRL's "Dropping fully masked examples", Unsloth's filter). */
  dropped?: boolean;
}

export interface BudgetSettings extends TrainingSchedule {
  sequenceLen?: number;
  /** Axolotl reads the number of GPUs from the environment (WORLD_SIZE); here it is an input. */
  gpus?: number;
  /** Whose step count: Axolotl's formula, or the Hugging Face Trainer's that LLaMA-Factory and TRL run (default Axolotl). */
  trainer?: ViewTrainer;
  /** TRL's packing_strategy (default bfd). */
  trlPackingStrategy?: TrlPackingStrategy;
  /** The length a packed sequence holds, where it is not the limit (LLaMA-Factory's packing takes one token off cutoff_len). */
  packingCapacity?: number;
}

export interface Steps {
  /** Optimizer steps over all epochs. */
  withoutPacking: number;
  withPacking: number;
  perEpochWithoutPacking: number;
  perEpochWithPacking: number;
}

export interface Budget {
  rows: number;
  tokens: Distribution;
  trainedTokens: number;
  /** Rows longer than `sequence_len`. */
  overLimit: number;
  steps: Steps;
  histogram: HistogramBin[];
  sequenceLen?: number;
  /** micro_batch_size x gradient_accumulation_steps x GPUs. */
  batch: number;
  epochs: number;
  excessLengthStrategy: "drop" | "truncate" | "raise";
  /** Rows that reach the trainer after the excess-length strategy. */
  keptRows: number;
  /** Axolotl's total_num_tokens and total_supervised_tokens: over the kept rows, one epoch. */
  totalNumTokens: number;
  totalSupervisedTokens: number;
  /** Packed sequences per epoch, packed as the trainer packs (trainerPacking.ts). */
  bins: number;
  packingEfficiency: number;
  samplePacking: boolean;
  /** Axolotl's total_num_steps (or the Trainer's max_steps): with or without packing, as the config says. */
  totalNumSteps: number;
  /** Whose rules counted the steps and dropped rows. */
  trainer: ViewTrainer;
  warmupSteps: number;
  tokensPerStep: number;
}

/**
 * What a training run would do with these rows: Axolotl's defaults where the config is silent
 * (micro batch 1, accumulation 1, 1 epoch, 1 GPU, drop rows over sequence_len).
 */
export function trainingBudget(rows: readonly RowTokens[], settings: BudgetSettings): Budget {
  const trainer = settings.trainer ?? "axolotl";
  const hfTrainer = trainer !== "axolotl";
  const limit = settings.sequenceLen;
  // LLaMA-Factory and TRL truncate long rows; neither has Axolotl's min_sample_len.
  const strategy = hfTrainer ? "truncate" : (settings.excessLengthStrategy ?? "drop");
  const microBatch = Math.max(1, Math.floor(settings.microBatchSize ?? 1));
  const accumulation = Math.max(1, Math.floor(settings.gradientAccumulationSteps ?? 1));
  const gpus = Math.max(1, Math.floor(settings.gpus ?? 1));
  const batch = microBatch * accumulation * gpus;
  const epochs = settings.numEpochs ?? 1;
  const lengths = rows.map((r) => r.tokens);
  const over = limit === undefined ? [] : rows.filter((r) => r.tokens > limit);
  // Axolotl drops rows under min_sample_len (`min_sample_len or 2`) whatever the strategy, and rows over the limit with `drop`.
  const minimum = hfTrainer ? 0 : settings.minSampleLen || 2;
  const kept: RowTokens[] = rows.filter((r) => !r.dropped && r.tokens >= minimum && (limit === undefined || strategy !== "drop" || r.tokens <= limit));
  const keptLengths = kept.map((r) => (limit !== undefined && strategy === "truncate" ? Math.min(r.tokens, limit) : r.tokens));
  const trainedOf = (r: RowTokens) => (limit !== undefined && strategy === "truncate" && r.tokens > limit ? (r.trainedWithinLimit ?? r.trained) : r.trained);
  const totalNumTokens = keptLengths.reduce((a, b) => a + b, 0);
  const totalSupervisedTokens = kept.reduce((a, r) => a + trainedOf(r), 0);
  const rule = trainer === "trl" ? { trainer, strategy: settings.trlPackingStrategy ?? "bfd" } : { trainer };
  // TRL packs rows as prepared (its bfd_split and wrapped see whole rows); the others the kept lengths.
  const packedLengths = trainer === "trl" ? kept.map((r) => r.tokens) : keptLengths;
  const packing = limit === undefined ? { bins: kept.length, efficiency: 0 } : packRows(packedLengths, settings.packingCapacity ?? limit, rule);
  const stepsOf = (sequences: number) => (hfTrainer ? trainerSteps(sequences, microBatch, gpus, accumulation, epochs) : axolotlSteps(sequences, batch, epochs));
  const [withoutPacking, perEpochWithoutPacking] = stepsOf(kept.length);
  const [withPacking, perEpochWithPacking] = stepsOf(packing.bins);
  const steps: Steps = { withoutPacking, withPacking, perEpochWithoutPacking, perEpochWithPacking };
  const samplePacking = settings.samplePacking === true;
  const totalNumSteps = samplePacking ? steps.withPacking : steps.withoutPacking;
  // transformers' Trainer: warmup_steps when set, else ceil(warmup_ratio x total steps).
  const warmupSteps = settings.warmupSteps && settings.warmupSteps > 0 ? settings.warmupSteps : Math.ceil((settings.warmupRatio ?? 0) * totalNumSteps);
  const perEpoch = samplePacking ? steps.perEpochWithPacking : steps.perEpochWithoutPacking;
  return {
    rows: rows.length,
    tokens: distribution(lengths),
    trainedTokens: rows.reduce((a, r) => a + r.trained, 0),
    overLimit: over.length,
    steps,
    histogram: histogram(lengths, limit),
    sequenceLen: limit,
    batch,
    epochs,
    excessLengthStrategy: strategy,
    keptRows: kept.length,
    totalNumTokens,
    totalSupervisedTokens,
    bins: packing.bins,
    packingEfficiency: packing.efficiency,
    samplePacking,
    totalNumSteps,
    trainer,
    warmupSteps,
    tokensPerStep: perEpoch > 0 ? totalNumTokens / perEpoch : 0,
  };
}

/** Axolotl's calculate_total_num_steps: rows (or packed bins) x epochs over the global batch, rounded up; per epoch likewise. */
function axolotlSteps(sequences: number, batch: number, epochs: number): [number, number] {
  return [Math.ceil((sequences * epochs) / batch), Math.ceil(sequences / batch)];
}

/**
 * The Hugging Face Trainer's max_steps, which LLaMA-Factory and TRL run: each GPU's dataloader has
 * ceil(ceil(rows / per-device batch) / GPUs) batches (accelerate evens them out), an epoch is that
 * over gradient accumulation rounded up, and the run is ceil(epochs x steps per epoch).
 */
function trainerSteps(sequences: number, perDevice: number, gpus: number, accumulation: number, epochs: number): [number, number] {
  if (sequences === 0) return [0, 0];
  const batches = Math.ceil(Math.ceil(sequences / perDevice) / gpus);
  const perEpoch = Math.max(1, Math.ceil(batches / accumulation));
  return [Math.ceil(epochs * perEpoch), perEpoch];
}

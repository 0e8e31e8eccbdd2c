import type { TrainingSchedule } from "../config/trainingConfig";
import { Distribution, distribution, histogram, HistogramBin } from "./distribution";
import { packFirstFitDecreasing } from "./packing";

/** One row as the trainer builds it: its tokens, the trained ones, and how many of those fall within the first `sequenceLen`. */
export interface RowTokens {
  tokens: number;
  trained: number;
  /** Trained tokens left when the row is truncated to `sequenceLen` (Axolotl's `truncate`). */
  trainedWithinLimit?: number;
}

export interface BudgetSettings extends TrainingSchedule {
  sequenceLen?: number;
  /** Axolotl reads the number of GPUs from the environment (WORLD_SIZE); here it is an input. */
  gpus?: number;
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
  /** Packed sequences per epoch (first-fit decreasing into sequence_len bins). */
  bins: number;
  packingEfficiency: number;
  samplePacking: boolean;
  /** Axolotl's total_num_steps: with or without packing, as the config says. */
  totalNumSteps: number;
  warmupSteps: number;
  tokensPerStep: number;
}

/**
 * What a training run would do with these rows: Axolotl's defaults where the config is silent
 * (micro batch 1, accumulation 1, 1 epoch, 1 GPU, drop rows over sequence_len).
 */
export function trainingBudget(rows: readonly RowTokens[], settings: BudgetSettings): Budget {
  const limit = settings.sequenceLen;
  const strategy = settings.excessLengthStrategy ?? "drop";
  const batch = Math.max(1, Math.floor(settings.microBatchSize ?? 1)) * Math.max(1, Math.floor(settings.gradientAccumulationSteps ?? 1)) * Math.max(1, Math.floor(settings.gpus ?? 1));
  const epochs = settings.numEpochs ?? 1;
  const lengths = rows.map((r) => r.tokens);
  const over = limit === undefined ? [] : rows.filter((r) => r.tokens > limit);
  // Axolotl drops rows under min_sample_len (`min_sample_len or 2`) whatever the strategy, and rows over the limit with `drop`.
  const minimum = settings.minSampleLen || 2;
  const kept: RowTokens[] = rows.filter((r) => r.tokens >= minimum && (limit === undefined || strategy !== "drop" || r.tokens <= limit));
  const keptLengths = kept.map((r) => (limit !== undefined && strategy === "truncate" ? Math.min(r.tokens, limit) : r.tokens));
  const trainedOf = (r: RowTokens) => (limit !== undefined && strategy === "truncate" && r.tokens > limit ? (r.trainedWithinLimit ?? r.trained) : r.trained);
  const totalNumTokens = keptLengths.reduce((a, b) => a + b, 0);
  const totalSupervisedTokens = kept.reduce((a, r) => a + trainedOf(r), 0);
  const packing = limit === undefined ? { bins: kept.length, efficiency: 0 } : packFirstFitDecreasing(keptLengths, limit);
  const steps: Steps = {
    withoutPacking: Math.ceil((kept.length * epochs) / batch),
    withPacking: Math.ceil((packing.bins * epochs) / batch),
    perEpochWithoutPacking: Math.ceil(kept.length / batch),
    perEpochWithPacking: Math.ceil(packing.bins / batch),
  };
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
    warmupSteps,
    tokensPerStep: perEpoch > 0 ? totalNumTokens / perEpoch : 0,
  };
}

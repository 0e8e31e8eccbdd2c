import type { TrainingConfig } from "../config/trainingConfig";
import { chooseTrainer, TrainerChoice, ViewTrainer } from "../trainers/trainerChoice";
import { trlDefaults, TrlSettings } from "../trainers/trl/trlSettings";
import { lfDefaults, LfSettings } from "../trainers/llamaFactory/lfSupervised";

/**
 * Seconds a row's rendering may take before it is stopped (the editor's setting and the CLI's
 * `render --timeout`): a 1,000-turn Qwen3 conversation took 4 to 11 s on two cores, depending on
 * what else ran; a template that loops is stopped all the same.
 */
export const defaultPreviewTimeoutSeconds = 20;

export type TrainOnEos = "all" | "turn" | "last" | "none";

/** What carries loss, with Axolotl's `type: chat_template` defaults. */
export interface TrainingSettings {
  rolesToTrain: string[];
  trainOnEos: TrainOnEos;
  trainOnInputs: boolean;
  sequenceLen?: number;
  /** Tokens that end a turn; Axolotl's `eot_tokens`, by default the EOS token. */
  eotTokens?: string[];
  /** A turn's key saying whether it is trained, and the key of its trained character spans (Axolotl's message_field_training[_detail]). */
  trainingField?: string;
  trainingDetailField?: string;
  /** The trainer chosen explicitly (instructStudio.target, --target); the config's keys decide otherwise. */
  trainer?: ViewTrainer;
  /** Which trainer's view is shown, and why: set by `trainingSettings`. */
  choice?: TrainerChoice;
  /** TRL's SFTConfig, when TRL's view is shown. */
  trl?: TrlSettings;
  /** LLaMA-Factory's data arguments, when its view is shown. */
  llamaFactory?: LfSettings;
}

export const axolotlDefaults: TrainingSettings = { rolesToTrain: ["assistant"], trainOnEos: "turn", trainOnInputs: false };

/** Settings first, then the training config over them: the config is what the trainer reads. */
export function trainingSettings(user: Partial<TrainingSettings>, config?: TrainingConfig): TrainingSettings {
  const merged: TrainingSettings = { ...axolotlDefaults, ...Object.fromEntries(Object.entries(user).filter(([, v]) => v !== undefined)) };
  if (config?.rolesToTrain) merged.rolesToTrain = config.rolesToTrain;
  if (config?.trainOnEos) merged.trainOnEos = config.trainOnEos;
  if (config?.trainOnInputs !== undefined) merged.trainOnInputs = config.trainOnInputs;
  if (config?.sequenceLen) merged.sequenceLen = config.sequenceLen;
  if (config?.eotTokens) merged.eotTokens = config.eotTokens;
  // Axolotl reads these keys only when its config names them; without a config, the names its docs use.
  merged.trainingField = config ? config.messageFieldTraining : "training";
  merged.trainingDetailField = config ? config.messageFieldTrainingDetail : "training_detail";
  merged.choice = chooseTrainer(merged.trainer, config?.trainer);
  if (merged.choice.trainer === "trl") {
    merged.trl = { ...trlDefaults, ...config?.trl };
    // What the length figures compare with: TRL truncates at max_length (1024 unless set).
    merged.sequenceLen = merged.trl.maxLength ?? undefined;
  }
  if (merged.choice.trainer === "llama-factory") {
    merged.llamaFactory = { ...lfDefaults, ...config?.llamaFactory };
    merged.sequenceLen = merged.llamaFactory.cutoffLen;
  }
  return merged;
}

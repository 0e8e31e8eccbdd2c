import type { TrainerTarget } from "../targets/trainerTarget";

/** The trainers whose text, ids and labels the preview, `render` and `stats` reproduce. */
export type ViewTrainer = "axolotl" | "llama-factory" | "trl";
export const viewTrainers: readonly ViewTrainer[] = ["axolotl", "llama-factory", "trl"];

export const viewTrainerLabels: Record<ViewTrainer, string> = {
  axolotl: "Axolotl",
  "llama-factory": "LLaMA-Factory",
  trl: "TRL SFTTrainer",
};

/** The version of each trainer's code the built-in views follow (named in the panel and in `render`). */
export const viewTrainerVersions: Record<ViewTrainer, string> = {
  axolotl: "Axolotl main of 2026-07-24 (067b021c)",
  "llama-factory": "LLaMA-Factory 0.9.6.dev0 (ff6d4d12)",
  trl: "TRL 1.13.0 with transformers 5.17.0",
};

export function isViewTrainer(value: unknown): value is ViewTrainer {
  return typeof value === "string" && (viewTrainers as readonly string[]).includes(value);
}

/** `instructStudio.target` / `--target` as a view: OpenAI's fine-tuning has no local view, so it picks none. */
export function viewTrainerOf(target: TrainerTarget | undefined): ViewTrainer | undefined {
  return isViewTrainer(target) ? target : undefined;
}

/** Top-level config keys only one trainer reads (LLaMA-Factory's and TRL's from their argument dataclasses). */
const telltaleKeys: Record<ViewTrainer, readonly string[]> = {
  "llama-factory": ["stage", "template", "cutoff_len", "dataset_dir", "finetuning_type", "mask_history", "train_on_prompt", "enable_thinking"],
  trl: [
    "assistant_only_loss",
    "completion_only_loss",
    "max_length",
    "dataset_text_field",
    "chat_template_path",
    "dataset_name",
    "truncation_mode",
    "train_on_responses_only",
  ],
  axolotl: ["chat_template", "sequence_len", "base_model", "micro_batch_size", "sample_packing", "train_on_inputs", "chat_template_jinja"],
};

export interface InferredTrainer {
  trainer: ViewTrainer;
  /** The keys that decided, for the panel's "why". */
  keys: string[];
}

/**
 * Which trainer a YAML config is written for, from the keys only that trainer reads; Axolotl's
 * `datasets[].type` counts for Axolotl (LLaMA-Factory's `dataset` is a string of names, TRL's
 * `dataset_name` a hub id). Undefined when no telltale key is there.
 */
export function inferTrainer(root: Record<string, unknown>): InferredTrainer | undefined {
  let best: InferredTrainer | undefined;
  for (const trainer of viewTrainers) {
    const keys = telltaleKeys[trainer].filter((key) => Object.hasOwn(root, key));
    if (trainer === "axolotl" && Array.isArray(root.datasets) && root.datasets.some((d) => typeof d === "object" && d !== null && "type" in d))
      keys.push("datasets[].type");
    if (keys.length > 0 && (!best || keys.length > best.keys.length)) best = { trainer, keys };
  }
  return best;
}

export interface TrainerChoice {
  trainer: ViewTrainer;
  /** Why this trainer: the setting, the config's keys, or the default. */
  why: string;
}

/** The explicit target first, then the config's keys, else Axolotl (what the preview showed before there was a choice). */
export function chooseTrainer(explicit: ViewTrainer | undefined, inferred: InferredTrainer | undefined): TrainerChoice {
  if (explicit) return { trainer: explicit, why: "instructStudio.target / --target" };
  if (inferred) return { trainer: inferred.trainer, why: `the training config's ${inferred.keys.slice(0, 3).join(", ")}` };
  return { trainer: "axolotl", why: "the default (set instructStudio.target or --target to another trainer)" };
}

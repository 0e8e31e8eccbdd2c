import { TrainerChoice, viewTrainerLabels, viewTrainerVersions } from "./trainerChoice";

/** "TRL SFTTrainer, as TRL 1.13.0 with transformers 5.17.0 does it (chosen by …)": the panel's and `render`'s header. */
export function trainerLabel(choice: TrainerChoice | undefined): string {
  const { trainer, why } = choice ?? { trainer: "axolotl" as const, why: "the default" };
  return `${viewTrainerLabels[trainer]}, as ${viewTrainerVersions[trainer]} does it (chosen by ${why})`;
}

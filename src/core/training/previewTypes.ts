import type { FormatId } from "../formats/formatLabels";
import { TemplateRaisedError } from "../templates/chatTemplate";
import { TrainerRefusedError, ViewUnavailableError } from "../trainers/trainerRefused";
import { TrainingDetailError } from "./trainingDetail";
import type { InputOptions } from "./trainingInput";
import type { TrainingView, ViewOptions } from "./trainingView";

export interface RowPreview extends TrainingView {
  /** Whose text, ids and labels these are, the version of its rules, and why that trainer. */
  trainerLabel: string;
  formatLabel: string;
  /** How the row's fields became the rendered text. */
  mapping: string;
  templateLabel: string;
  tokenizerLabel: string;
  /** False when token figures come from the built-in estimate. */
  exact: boolean;
  sequenceLen?: number;
  /** The trainer's name for that limit (Axolotl's sequence_len when absent). */
  limitName?: "max_length" | "cutoff_len";
}

export class RowPreviewError extends Error {
  constructor(
    message: string,
    readonly kind: "not-instruction" | "template-raised" | "template-failed" | "trainer-refused",
  ) {
    super(message);
  }
}

export type RowOptions = InputOptions & ViewOptions & { format?: FormatId };

/** Runs a trainer's rendering, turning what it throws into the panel's and `render`'s errors. */
export function throughTemplate<T>(build: () => T): T {
  try {
    return build();
  } catch (error) {
    if (error instanceof TrainerRefusedError) throw new RowPreviewError(error.message, "trainer-refused");
    if (error instanceof ViewUnavailableError) throw new RowPreviewError(error.message, "template-failed");
    if (error instanceof TemplateRaisedError) throw new RowPreviewError(`The chat template refused this row: ${error.message}`, "template-raised");
    if (error instanceof TrainingDetailError) throw new RowPreviewError(`This row's training_detail cannot be applied: ${error.message}`, "not-instruction");
    throw new RowPreviewError(`The chat template failed on this row: ${(error as Error).message}`, "template-failed");
  }
}

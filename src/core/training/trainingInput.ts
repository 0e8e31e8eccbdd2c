import type { FormatId } from "../formats/formatLabels";
import { formatModules } from "../formats/registry";
import type { TrainingInput } from "../formats/inputHelpers";
import type { InputOptions } from "../formats/instructionTypes";

export type { ChatMessage, TrainingInput } from "../formats/inputHelpers";
export type { InputOptions } from "../formats/instructionTypes";

/** What the trainer builds from a row of this format (its format module says how). */
export function trainingInput(format: FormatId | undefined, row: Record<string, unknown>, options: InputOptions = {}): TrainingInput | undefined {
  return format ? formatModules[format].trainingInput(row, options, []) : undefined;
}

import type { FormatId } from "../formats/detect";
import type { FieldMapping } from "../formats/instructionTypes";
import { formatModules } from "../formats/registry";
import type { TrainingInput } from "./inputHelpers";

export type { ChatMessage, TrainingInput } from "./inputHelpers";

export type InputOptions = FieldMapping;

/** What the trainer builds from a row of this format (its format module says how). */
export function trainingInput(format: FormatId | undefined, row: Record<string, unknown>, options: InputOptions = {}): TrainingInput | undefined {
  return format ? formatModules[format].trainingInput(row, options, []) : undefined;
}

import { booleanOf } from "../../config/yamlValues";
import { isPlainObject } from "../../jsonl/parseRow";

/**
 * Unsloth's `train_on_responses_only(trainer, instruction_part, response_part, force_match,
 * last_response_only)`, read from a TRL config's `train_on_responses_only` key: `true` to let
 * Unsloth detect the markers from the chat template, or a mapping of those arguments.
 */
export interface ResponsesOnlySettings {
  instructionPart?: string;
  responsePart?: string;
  /** Unsloth's default true: the marker must appear exactly as it tokenizes on its own. */
  forceMatch: boolean;
  lastResponseOnly: boolean;
}

/** A marker as Unsloth takes it: any string, the empty one included (Unsloth then says it cannot match it). */
const markerOf = (value: unknown) => (typeof value === "string" ? value : undefined);

export const responsesOnlyKey = "train_on_responses_only";

export function responsesOnlyOf(value: unknown): ResponsesOnlySettings | undefined {
  if (value === true) return { forceMatch: true, lastResponseOnly: false };
  if (!isPlainObject(value)) return undefined;
  return {
    instructionPart: markerOf(value.instruction_part),
    responsePart: markerOf(value.response_part),
    forceMatch: booleanOf(value.force_match) ?? true,
    lastResponseOnly: booleanOf(value.last_response_only) ?? false,
  };
}

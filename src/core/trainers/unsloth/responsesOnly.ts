import type { ChatTemplateSource } from "../../templates/chatTemplate";
import type { ModelTokenizer } from "../../tokenizers/modelTokenizer";
import { TrainerRefusedError } from "../trainerRefused";
import { chatTemplateParts, ResponseParts } from "./chatTemplateParts";
import { MarkerTokens, markerTokens } from "./markerTokens";
import { responseSpans } from "./responseSpans";
import type { ResponsesOnlySettings } from "./responsesOnlySettings";

/** The unsloth-zoo commit whose `train_on_responses_only` the view reproduces. */
export const unslothVersion = "unsloth-zoo 2026.8.13 (ce232d6c)";

export interface ResponseMarkers extends ResponseParts {
  /** True when Unsloth would detect the parts from the chat template (none given). */
  detected: boolean;
  instruction: MarkerTokens;
  response: MarkerTokens;
}

const cache = new WeakMap<ModelTokenizer, Map<string, ResponseMarkers>>();

function resolve(settings: ResponsesOnlySettings, template: ChatTemplateSource, tokenizer: ModelTokenizer): ResponseMarkers {
  const { instructionPart, responsePart } = settings;
  if ((instructionPart === undefined) !== (responsePart === undefined))
    throw new TrainerRefusedError("Unsloth: Give both instruction_part and response_part, or neither to auto-detect!");
  const detected = instructionPart === undefined;
  const parts = detected ? chatTemplateParts(template, tokenizer) : { instructionPart: instructionPart!, responsePart: responsePart! };
  const encode = (text: string) => tokenizer.encode(text);
  const instruction = markerTokens(parts.instructionPart, encode, settings.forceMatch);
  const response = markerTokens(parts.responsePart, encode, settings.forceMatch);
  if (instruction.core.length === 0 || response.core.length === 0) {
    const empty = instruction.core.length === 0 ? "instruction_part" : "response_part";
    throw new TrainerRefusedError(
      `Unsloth: ${empty} could not be resolved to a stable token sequence, so it cannot be matched against your dataset - it tokenizes to nothing, or no stable core could be recovered from it. Pass a different marker, pass neither to auto-detect both${settings.forceMatch ? "" : ", or try force_match = True"}.`,
    );
  }
  return { ...parts, detected, instruction, response };
}

/** The markers' tokens, worked out once per tokenizer, template and settings (detection renders the template several times). */
export function responseMarkers(settings: ResponsesOnlySettings, template: ChatTemplateSource, tokenizer: ModelTokenizer): ResponseMarkers {
  let byKey = cache.get(tokenizer);
  if (!byKey) cache.set(tokenizer, (byKey = new Map()));
  const key = JSON.stringify([template.template, settings.instructionPart, settings.responsePart, settings.forceMatch]);
  let markers = byKey.get(key);
  if (!markers) byKey.set(key, (markers = resolve(settings, template, tokenizer)));
  return markers;
}

/**
 * What Unsloth leaves trained in the tokens TRL kept: TRL's labels survive inside the response
 * spans (Unsloth copies the existing `labels` column there), -100 everywhere else.
 */
export function responsesOnlyTrained(ids: readonly number[], trained: readonly boolean[], markers: ResponseMarkers, lastOnly: boolean): boolean[] {
  const inSpan = new Array<boolean>(ids.length).fill(false);
  for (const [start, end] of responseSpans(ids, markers.instruction, markers.response, lastOnly)) {
    for (let i = start; i < Math.min(end, ids.length); i++) inSpan[i] = true;
  }
  return trained.map((value, i) => value && inSpan[i]);
}

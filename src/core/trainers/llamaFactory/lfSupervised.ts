import type { Converted } from "./lfConverter";
import type { Encoded, LfTemplate } from "./lfTemplate";

/** LLaMA-Factory's data arguments that decide a supervised row's ids and labels, with its defaults. */
export interface LfSettings {
  /** The `template` name; none: parsed from the tokenizer's chat template. */
  template?: string;
  cutoffLen: number;
  trainOnPrompt: boolean;
  maskHistory: boolean;
  enableThinking: boolean | null;
  preserveThinking: boolean;
  defaultSystem?: string;
  packing: boolean;
}

export const lfDefaults: LfSettings = {
  cutoffLen: 2048,
  trainOnPrompt: false,
  maskHistory: false,
  enableThinking: true,
  preserveThinking: false,
  packing: false,
};

export const ignoreIndex = -100;

/** One piece of the row in order: its text and ids, which of them are kept after truncation, and their labels. */
export interface LfPiece {
  text: string;
  ids: number[];
  /** Ids kept after cutoff_len truncation: the first `kept` of `ids`. */
  kept: number;
  labels: number[];
  /** The message this piece belongs to (index in the converted prompt and response). */
  message: number;
  role: string;
}

/** `infer_seqlen`: how much of a prompt and a response fit in what is left of cutoff_len. */
export function inferSeqlen(sourceLen: number, targetLen: number, cutoffLen: number): [number, number] {
  let maxTargetLen: number;
  if (targetLen * 2 < cutoffLen) maxTargetLen = cutoffLen;
  else if (sourceLen * 2 < cutoffLen) maxTargetLen = cutoffLen - sourceLen;
  else maxTargetLen = Math.trunc(cutoffLen * (targetLen / (sourceLen + targetLen)));
  const newTargetLen = Math.min(maxTargetLen, targetLen);
  const maxSourceLen = Math.max(cutoffLen - newTargetLen, 0);
  return [Math.min(maxSourceLen, sourceLen), newTargetLen];
}

/**
 * SupervisedDatasetProcessor._encode_data_example: the pairs of encode_multiturn, truncated turn by
 * turn to cutoff_len (the last turns first with mask_history), labelled: prompts masked unless
 * train_on_prompt, with efficient_eos the first token of each later prompt labelled EOS (it ends the
 * answer before it), earlier answers masked with mask_history, and a closing EOS with efficient_eos.
 */
export function supervisedPieces(converted: Converted, template: LfTemplate, settings: LfSettings): LfPiece[] {
  const messages = [...converted.prompt, ...converted.response];
  const discardingHistoryCot = settings.maskHistory && !template.preserveThinking;
  const pairs = template.encodeMultiturn(messages, converted.system || undefined, converted.tools || undefined, discardingHistoryCot);
  const cutoff = settings.packing ? settings.cutoffLen - 1 : settings.cutoffLen;
  let totalLength = template.efficientEos ? 1 : 0;
  const order = pairs.map((_, i) => i);
  if (settings.maskHistory) order.reverse();
  const pieces = new Map<number, [LfPiece, LfPiece]>();
  const piece = (encoded: Encoded, kept: number, labels: number[], message: number): LfPiece => ({
    text: encoded.text,
    ids: encoded.ids,
    kept,
    labels,
    message,
    role: messages[message]?.role ?? "",
  });
  order.forEach((pairIndex, turnIdx) => {
    const [source, target] = pairs[pairIndex];
    if (totalLength >= cutoff) {
      pieces.set(pairIndex, [piece(source, 0, [], 2 * pairIndex), piece(target, 0, [], 2 * pairIndex + 1)]);
      return;
    }
    const [sourceLen, targetLen] = inferSeqlen(source.ids.length, target.ids.length, cutoff - totalLength);
    totalLength += sourceLen + targetLen;
    const sourceIds = source.ids.slice(0, sourceLen);
    let sourceLabel: number[];
    if (settings.trainOnPrompt) sourceLabel = sourceIds;
    else if (template.efficientEos && turnIdx !== 0) sourceLabel = sourceLen > 0 ? [template.eosId, ...new Array<number>(sourceLen - 1).fill(ignoreIndex)] : [];
    else sourceLabel = new Array<number>(sourceLen).fill(ignoreIndex);
    const targetIds = target.ids.slice(0, targetLen);
    const targetLabel = settings.maskHistory && turnIdx !== 0 ? new Array<number>(targetLen).fill(ignoreIndex) : targetIds;
    pieces.set(pairIndex, [piece(source, sourceLen, sourceLabel, 2 * pairIndex), piece(target, targetLen, targetLabel, 2 * pairIndex + 1)]);
  });
  const ordered = pairs.flatMap((_, i) => pieces.get(i) ?? []);
  if (template.efficientEos)
    ordered.push({ text: template.eosToken, ids: [template.eosId], kept: 1, labels: [template.eosId], message: messages.length - 1, role: "eos" });
  return ordered;
}

/** input_ids and labels as LLaMA-Factory's processor returns them. */
export function lfIdsAndLabels(pieces: LfPiece[]): { inputIds: number[]; labels: number[] } {
  const inputIds: number[] = [];
  const labels: number[] = [];
  for (const p of pieces) {
    inputIds.push(...p.ids.slice(0, p.kept));
    labels.push(...p.labels);
  }
  return { inputIds, labels };
}

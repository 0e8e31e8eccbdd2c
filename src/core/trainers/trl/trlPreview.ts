import { detectRowFormat, formatLabels } from "../../formats/detect";
import type { FormatId } from "../../formats/formatLabels";
import { isPlainObject } from "../../jsonl/parseRow";
import { unreadFormatMessage } from "../../targets/trainerTarget";
import type { PreviewSetup } from "../../training/previewSetup";
import { RowOptions, RowPreview, RowPreviewError, throughTemplate } from "../../training/previewTypes";
import type { TrainingSettings } from "../../training/trainingSettings";
import { TrainingCounts, viewOfMasked } from "../../training/trainingView";
import { trainerLabel } from "../trainerLabel";
import { unslothVersion } from "../unsloth/responsesOnly";
import { trlDefaults } from "./trlSettings";
import { trlIdsAndLabels, TrlMasked, trlMasks } from "./trlView";

/** How TRL reads the row's fields, in the panel's words. */
function mappingOf(row: Record<string, unknown>, completionOnly: boolean, textField: string): string {
  if ("prompt" in row && "completion" in row)
    return `prompt + completion (${completionOnly ? "the prompt masked: completion_only_loss" : "all trained: completion_only_loss false"})`;
  if ("messages" in row) return "messages → the chat template";
  if ("conversations" in row) return "conversations (from/value renamed role/content) → the chat template";
  return `${textField} → plain text, EOS appended`;
}

/** Which markers Unsloth masks between, and whether it found them itself. */
function responsesOnlyNote(result: TrlMasked): string {
  const markers = result.responsesOnly;
  if (!markers) return "";
  const how = markers.detected ? "detected from the chat template" : "from the config";
  return `; Unsloth trains from each ${JSON.stringify(markers.responsePart)} to the next ${JSON.stringify(markers.instructionPart)} (${how})`;
}

function masked(
  row: unknown,
  setup: PreviewSetup,
  settings: TrainingSettings,
  options: RowOptions,
): { row: Record<string, unknown>; format: FormatId | undefined; masked: TrlMasked } {
  if (!isPlainObject(row)) throw new RowPreviewError("This row is not a JSON object: TRL's datasets hold one object per row.", "not-instruction");
  const format = options.format ?? detectRowFormat(row);
  const unread = format && unreadFormatMessage(format, "trl");
  if (unread) throw new RowPreviewError(unread, "not-instruction");
  const trl = settings.trl ?? trlDefaults;
  return {
    row,
    format,
    masked: throughTemplate(() =>
      trlMasks(row, { template: setup.template, tokenizer: setup.tokenizer, settings: trl, installed: setup.trl, now: options.now }),
    ),
  };
}

/** The panel's view of a row as TRL's SFTTrainer prepares it. */
export function previewTrl(value: unknown, setup: PreviewSetup, settings: TrainingSettings, options: RowOptions): RowPreview {
  const { row, format, masked: result } = masked(value, setup, settings, options);
  const trl = settings.trl ?? trlDefaults;
  const chat = Array.isArray(row.messages) || Array.isArray(row.conversations) || Array.isArray(row.prompt);
  const view = viewOfMasked(result, setup.tokenizer);
  return {
    ...view,
    warnings: [...(chat ? setup.notes : []), ...view.warnings],
    trainerLabel: trainerLabel(settings.choice) + (result.responsesOnly ? `, then Unsloth's train_on_responses_only as ${unslothVersion} does it` : ""),
    formatLabel: format ? formatLabels[format] : "Unknown",
    mapping: mappingOf(row, trl.completionOnlyLoss ?? ("prompt" in row && "completion" in row), trl.datasetTextField) + responsesOnlyNote(result),
    templateLabel: chat ? (result.templateLabel ?? setup.templateLabel) : "none (plain text: TRL tokenizes it as it is)",
    tokenizerLabel: setup.tokenizer.exact ? setup.tokenizer.source : "estimate (no tokenizer configured)",
    exact: setup.tokenizer.exact,
    sequenceLen: trl.maxLength ?? undefined,
    limitName: "max_length",
  };
}

/** A row's figures for the budget: what TRL keeps after truncation, nothing for a row it drops. */
export function measureTrl(value: unknown, setup: PreviewSetup, settings: TrainingSettings, options: RowOptions): TrainingCounts {
  const { masked: result } = masked(value, setup, settings, options);
  const trained = result.trained.filter(Boolean).length;
  return { tokens: result.ids.length, trained, trainedWithinLimit: trained, turns: result.roles.length, ...(result.dropped ? { dropped: true } : {}) };
}

/** input_ids and labels exactly as TRL hands them to its collator, for checking against its own. */
export function trlRowIdsAndLabels(
  value: unknown,
  setup: PreviewSetup,
  settings: TrainingSettings,
  options: RowOptions = {},
): { inputIds: number[]; labels: number[] } {
  return trlIdsAndLabels(masked(value, setup, settings, options).masked);
}

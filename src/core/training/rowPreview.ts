import { detectRowFormat, FormatId, formatLabels, withArticle } from "../formats/detect";
import { isPlainObject } from "../jsonl/parseRow";
import { mappingOf } from "../formats/instructionTypes";
import { TemplateRaisedError } from "../templates/chatTemplate";
import { TrainingDetailError } from "./trainingDetail";
import { PreviewSetup, previewSetup, PreviewSources } from "./previewSetup";
import { InputOptions, TrainingInput, trainingInput } from "./trainingInput";
import { buildTrainingView, TrainingCounts, trainingCounts, TrainingView, ViewOptions } from "./trainingView";
import { TrainingSettings, trainingSettings } from "./trainingSettings";

export interface RowPreview extends TrainingView {
  formatLabel: string;
  /** How the row's fields became the rendered text. */
  mapping: string;
  templateLabel: string;
  tokenizerLabel: string;
  /** False when token figures come from the built-in estimate. */
  exact: boolean;
  sequenceLen?: number;
}

export class RowPreviewError extends Error {
  constructor(message: string, readonly kind: "not-instruction" | "template-raised" | "template-failed") {
    super(message);
  }
}

/**
 * A row's preview from its sources as configured: the user's settings with the training
 * config's over them, and the config's dataset format and field mapping.
 */
export function previewConfigured(row: unknown, sources: PreviewSources, userSettings: Partial<TrainingSettings> = {}): RowPreview {
  const { config } = sources;
  return previewRow(row, previewSetup(sources), trainingSettings(userSettings, config), { format: config?.format, ...mappingOf(config) });
}

type RowOptions = InputOptions & ViewOptions & { format?: FormatId };

function rowInput(row: unknown, options: RowOptions): { format: FormatId | undefined; input: TrainingInput } {
  const format = options.format ?? detectRowFormat(row, options.layout);
  const input = isPlainObject(row) ? trainingInput(format, row, options) : undefined;
  if (!input) {
    const own = options.format ? detectRowFormat(row) : undefined;
    const why = options.format
      ? `The configured format (${formatLabels[options.format]}${options.layout ? `, turns in "${options.layout.field}"` : ""}) does not fit this row${own ? `, which looks like ${withArticle(formatLabels[own])} row` : ""}: the trainer would fail on it or skip it.`
      : "This row is not instruction data the preview knows how to render.";
    throw new RowPreviewError(why, "not-instruction");
  }
  return { format, input };
}

function throughTemplate<T>(build: () => T): T {
  try {
    return build();
  } catch (error) {
    if (error instanceof TemplateRaisedError) throw new RowPreviewError(`The chat template refused this row: ${error.message}`, "template-raised");
    if (error instanceof TrainingDetailError) throw new RowPreviewError(`This row's training_detail cannot be applied: ${error.message}`, "not-instruction");
    throw new RowPreviewError(`The chat template failed on this row: ${(error as Error).message}`, "template-failed");
  }
}

/** The training view of one parsed row: what the trainer would build and which tokens it trains. */
export function previewRow(row: unknown, setup: PreviewSetup, settings: TrainingSettings, options: RowOptions = {}): RowPreview {
  const { format, input } = rowInput(row, options);
  const view = throughTemplate(() => buildTrainingView(input, setup.template, setup.tokenizer, settings, options));
  return {
    ...view,
    // The setup's notes are about the chat template, which a text row does not go through.
    warnings: [...(input.kind === "chat" ? setup.notes : []), ...view.warnings],
    formatLabel: format ? formatLabels[format] : "Unknown",
    mapping: input.mapping,
    // A text row is built by its prompt format, not by the chat template configured for conversations.
    templateLabel: input.kind !== "chat" ? `${input.promptFormat} (not a conversation: no chat template)` : setup.templateLabel,
    tokenizerLabel: setup.tokenizer.exact ? setup.tokenizer.source : "estimate (no tokenizer configured)",
    exact: setup.tokenizer.exact,
    sequenceLen: settings.sequenceLen,
  };
}

/** A row's token figures as `previewRow` computes them (same masks), for counting a whole dataset. */
export function measureRow(row: unknown, setup: PreviewSetup, settings: TrainingSettings, options: RowOptions = {}): TrainingCounts {
  const { input } = rowInput(row, options);
  return throughTemplate(() => trainingCounts(input, setup.template, setup.tokenizer, settings, options));
}

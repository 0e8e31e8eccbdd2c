import { detectRowFormat, formatLabels, withArticle } from "../formats/detect";
import type { FormatId } from "../formats/formatLabels";
import { isPlainObject } from "../jsonl/parseRow";
import { mappingOf } from "../formats/instructionTypes";
import { axolotlRoles } from "../formats/layout";
import { PreviewSetup, previewSetup, PreviewSources } from "./previewSetup";
import { TrainingInput, trainingInput } from "./trainingInput";
import { buildTrainingView, TrainingCounts, trainingCounts } from "./trainingView";
import { RowOptions, RowPreview, RowPreviewError, throughTemplate } from "./previewTypes";

export { RowPreviewError } from "./previewTypes";
export type { RowPreview } from "./previewTypes";
import { TrainingSettings, trainingSettings } from "./trainingSettings";
import { trainerLabel } from "../trainers/trainerLabel";
import { previewTrl, measureTrl } from "../trainers/trl/trlPreview";
import { measureLlamaFactory, previewLlamaFactory } from "../trainers/llamaFactory/lfPreview";

/**
 * A row's preview from its sources as configured: the user's settings with the training
 * config's over them, and the config's dataset format and field mapping.
 */
export function previewConfigured(row: unknown, sources: PreviewSources, userSettings: Partial<TrainingSettings> = {}): RowPreview {
  const { setup, settings, options } = configured(sources, userSettings);
  return previewRow(row, setup, settings, options);
}

/** The setup, settings and row options a row is previewed with: the trainer's view the settings and the config choose. */
export function configured(
  sources: PreviewSources,
  userSettings: Partial<TrainingSettings> = {},
): { setup: PreviewSetup; settings: TrainingSettings; options: RowOptions } {
  const { config } = sources;
  const settings = trainingSettings(userSettings, config);
  return { setup: previewSetup({ ...sources, trainer: settings.choice?.trainer }), settings, options: { format: config?.format, ...mappingOf(config) } };
}

/**
 * The row as Axolotl's chat_template strategy reads it: without a config's `roles`, its own
 * role map (human and user → user, gpt and assistant → assistant, system, tool), every other name
 * passed to the template as it is, whatever the layout.
 */
function rowInput(row: unknown, options: RowOptions): { format: FormatId | undefined; input: TrainingInput } {
  const layout = options.layout;
  if (layout && isPlainObject(row) && !Object.hasOwn(row, layout.field)) {
    const other = ["messages", "conversations"].find((field) => field !== layout.field && Array.isArray(row[field]));
    if (other)
      throw new RowPreviewError(
        `Axolotl: Messages is null. Please check \`field_messages\`. (The training config reads turns from "${layout.field}"; this row keeps them in "${other}": set field_messages: ${other}${other === "conversations" ? " and, for from/value turns, message_property_mappings: {role: from, content: value}" : ""}.)`,
        "trainer-refused",
      );
  }
  const format = options.format ?? detectRowFormat(row, options.layout);
  const input = isPlainObject(row) ? trainingInput(format, row, { ...options, roles: options.roles ?? axolotlRoles }) : undefined;
  if (!input) {
    const own = options.format ? detectRowFormat(row) : undefined;
    const why = options.format
      ? `The configured format (${formatLabels[options.format]}${options.layout ? `, turns in "${options.layout.field}"` : ""}) does not fit this row${own ? `, which looks like ${withArticle(formatLabels[own])} row` : ""}: the trainer would fail on it or skip it.`
      : "This row is not instruction data the preview knows how to render.";
    throw new RowPreviewError(why, "not-instruction");
  }
  return { format, input };
}

/** A template failure on a row with a turn that has no content says why: Axolotl passes such a turn on without one, and fails the same way. */
function withContentHint<T>(input: TrainingInput, build: () => T): T {
  try {
    return build();
  } catch (error) {
    const empty = input.kind === "chat" ? input.messages.findIndex((m) => !("content" in m)) : -1;
    if (error instanceof RowPreviewError && error.kind === "template-failed" && empty >= 0) {
      throw new RowPreviewError(
        `${error.message} (turn ${empty + 1} has no content, or a null one: Axolotl leaves such a property out of the message it renders, and its own run fails on this row too)`,
        error.kind,
      );
    }
    throw error;
  }
}

/** The training view of one parsed row: what the trainer would build and which tokens it trains. */
export function previewRow(row: unknown, setup: PreviewSetup, settings: TrainingSettings, options: RowOptions = {}): RowPreview {
  if (settings.choice?.trainer === "trl") return previewTrl(row, setup, settings, options);
  if (settings.choice?.trainer === "llama-factory") return previewLlamaFactory(row, setup, settings, { ...options, explicitTemplate: setup.explicitTemplate });
  const { format, input } = rowInput(row, options);
  const view = withContentHint(input, () => throughTemplate(() => buildTrainingView(input, setup.template, setup.tokenizer, settings, options)));
  return {
    ...view,
    trainerLabel: trainerLabel(settings.choice),
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
  if (settings.choice?.trainer === "trl") return measureTrl(row, setup, settings, options);
  if (settings.choice?.trainer === "llama-factory") return measureLlamaFactory(row, setup, settings, { ...options, explicitTemplate: setup.explicitTemplate });
  const { input } = rowInput(row, options);
  return withContentHint(input, () => throughTemplate(() => trainingCounts(input, setup.template, setup.tokenizer, settings, options)));
}

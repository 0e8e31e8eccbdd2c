import { isPlainObject } from "../jsonl/parseRow";
import { mappingOf } from "../formats/instructionTypes";
import { PreviewSources, previewSetup } from "../training/previewSetup";
import { RowPreviewError, throughTemplate } from "../training/previewTypes";
import { previewRow } from "../training/rowPreview";
import { TrainingSettings, trainingSettings } from "../training/trainingSettings";
import { llamaFactoryIdsAndLabels } from "./llamaFactory/lfPreview";
import { trlDefaults } from "./trl/trlSettings";
import { trlIdsAndLabels, trlMasks } from "./trl/trlView";
import type { IdsAndLabels } from "./check/compareIds";

/** The ids and labels the panel shows for a row (labels -100 where no loss), in the trainer's terms, to check against the trainer's own. */
export function configuredIdsAndLabels(row: unknown, sources: PreviewSources, userSettings: Partial<TrainingSettings> = {}): IdsAndLabels & { trainer: string } {
  const settings = trainingSettings(userSettings, sources.config);
  const trainer = settings.choice?.trainer ?? "axolotl";
  const setup = previewSetup({ ...sources, trainer });
  if (trainer === "llama-factory") return { trainer, ...llamaFactoryIdsAndLabels(row, setup, settings) };
  if (trainer === "trl") {
    if (!isPlainObject(row)) throw new RowPreviewError("This row is not a JSON object.", "not-instruction");
    const masked = throughTemplate(() => trlMasks(row, { template: setup.template, tokenizer: setup.tokenizer, settings: settings.trl ?? trlDefaults, installed: setup.trl }));
    return { trainer, ...trlIdsAndLabels(masked) };
  }
  const preview = previewRow(row, setup, settings, { format: sources.config?.format, ...mappingOf(sources.config) });
  return { trainer, inputIds: preview.tokens.map((t) => t.id), labels: preview.tokens.map((t) => (t.trained ? t.id : -100)) };
}

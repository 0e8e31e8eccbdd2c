import type { PreviewSources } from "../training/previewSetup";
import { configured, previewRow } from "../training/rowPreview";
import type { TrainingSettings } from "../training/trainingSettings";
import { llamaFactoryIdsAndLabels } from "./llamaFactory/lfPreview";
import { trlRowIdsAndLabels } from "./trl/trlPreview";
import type { IdsAndLabels } from "./check/compareIds";

/** The ids and labels the panel shows for a row (labels -100 where no loss), in the trainer's terms, to check against the trainer's own. */
export function configuredIdsAndLabels(
  row: unknown,
  sources: PreviewSources,
  userSettings: Partial<TrainingSettings> = {},
): IdsAndLabels & { trainer: string } {
  const { setup, settings, options } = configured(sources, userSettings);
  const trainer = settings.choice?.trainer ?? "axolotl";
  if (trainer === "llama-factory") return { trainer, ...llamaFactoryIdsAndLabels(row, setup, settings) };
  if (trainer === "trl") return { trainer, ...trlRowIdsAndLabels(row, setup, settings, options) };
  const preview = previewRow(row, setup, settings, options);
  return { trainer, inputIds: preview.tokens.map((t) => t.id), labels: preview.tokens.map((t) => (t.trained ? t.id : -100)) };
}

import { dirname, resolve } from "node:path";
import type { TrainingConfig } from "../core/config/trainingConfig";
import { askForTrl, askInterpreter, fromPath } from "../core/templates/axolotl/findAxolotl";
import { isViewTrainer, ViewTrainer, viewTrainers } from "../core/trainers/trainerChoice";
import { namesTemplate } from "../core/templates/axolotl/resolve";
import type { TemplateContext } from "../protocol/previewWorker";
import { UsageError } from "./usageError";
import { needsTrlTemplates } from "../core/trainers/trl/trlTemplates";
import type { DatasetInfoEntry } from "../core/config/datasetInfo";
import { datasetInfoFor } from "../core/config/datasetInfoLookup";

/**
 * Where the CLI reads a config's template names and files from, as the editor does: the config's
 * folder, and the user's Axolotl (`--axolotl`, else the one `python3` would import) when the
 * config names one of its templates.
 */
export async function cliTemplateContext(
  configPath: string | undefined,
  config: TrainingConfig | undefined,
  axolotlPath: string | undefined,
  trainer?: ViewTrainer,
): Promise<TemplateContext> {
  const configDir = configPath ? dirname(resolve(configPath)) : undefined;
  // TRL's training templates are read from the user's TRL only where its assistant_only_loss needs one.
  const trl = needsTrlTemplates(trainer, config) ? await askForTrl("python3") : undefined;
  if (axolotlPath) {
    const axolotl = fromPath(axolotlPath);
    if (!axolotl)
      throw new UsageError(
        `--axolotl ${axolotlPath}: no Axolotl chat templates there (give the package, a checkout or its utils/chat_templates/templates folder)`,
      );
    return { configDir, axolotl, trl };
  }
  return { configDir, axolotl: namesTemplate(config?.chatTemplate) ? await askInterpreter("python3") : undefined, trl };
}

/** `--target` of render and stats: whose text, ids and labels. */
export function viewTarget(value: string | undefined): ViewTrainer | undefined {
  if (value === undefined) return undefined;
  if (!isViewTrainer(value)) throw new UsageError(`--target wants one of ${viewTrainers.join(", ")}, not "${value}"`);
  return value;
}

/** The dataset_info.json entry beside (or up to two folders above) a file that names it, as lint finds it. */
export function cliDatasetInfo(file: string): DatasetInfoEntry | undefined {
  try {
    return datasetInfoFor(file)?.entry;
  } catch (error) {
    throw new UsageError((error as Error).message);
  }
}

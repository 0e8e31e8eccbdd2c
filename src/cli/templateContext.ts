import { dirname, resolve } from "node:path";
import type { TrainingConfig } from "../core/config/trainingConfig";
import { askInterpreter, fromPath } from "../core/templates/axolotl/findAxolotl";
import { namesTemplate } from "../core/templates/axolotl/resolve";
import type { TemplateContext } from "../protocol/previewWorker";
import { UsageError } from "./usageError";

/**
 * Where the CLI reads a config's template names and files from, as the editor does: the config's
 * folder, and the user's Axolotl (`--axolotl`, else the one `python3` would import) when the
 * config names one of its templates.
 */
export async function cliTemplateContext(configPath: string | undefined, config: TrainingConfig | undefined, axolotlPath: string | undefined): Promise<TemplateContext> {
  const configDir = configPath ? dirname(resolve(configPath)) : undefined;
  if (axolotlPath) {
    const axolotl = fromPath(axolotlPath);
    if (!axolotl) throw new UsageError(`--axolotl ${axolotlPath}: no Axolotl chat templates there (give the package, a checkout or its utils/chat_templates/templates folder)`);
    return { configDir, axolotl };
  }
  return { configDir, axolotl: namesTemplate(config?.chatTemplate) ? await askInterpreter("python3") : undefined };
}

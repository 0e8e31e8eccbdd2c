import { readFileSync, statSync } from "node:fs";
import { isAbsolute, join } from "node:path";
import * as vscode from "vscode";
import { parse as parseYaml } from "yaml";
import { axolotlArguments, datasetInfoAttributes, responsesOnlyArguments, TrainerCheckRequest, trainerArguments } from "../core/trainers/check/checkRequest";
import { builtinTemplate } from "../core/templates/builtinTemplates";
import { compareWithTrainer } from "../core/trainers/check/compareIds";
import { runTrainerCheck } from "../core/trainers/check/runTrainerCheck";
import { viewTrainerLabels } from "../core/trainers/trainerChoice";
import { trainingSettings, TrainingSettings } from "../core/training/trainingSettings";
import type { InstructStudio } from "../context";
import type { EditorPreviewSources } from "../settings/settings";
import { interpreters } from "../preview/axolotlLocator";
import { datasetInfoEntry } from "../validation/documentOptions";

/** The training config as Axolotl reads it, with the view's assumptions where it is silent (see axolotlArguments). */
function axolotlConfig(preview: EditorPreviewSources, settings: TrainingSettings): Record<string, unknown> {
  const root: unknown = preview.configPath ? parseYaml(readFileSync(preview.configPath, "utf8")) : undefined;
  const named = preview.template && builtinTemplate(preview.template) ? preview.template : undefined;
  const readJinja = (path: string) => {
    const file = isAbsolute(path) || !preview.configDir ? path : join(preview.configDir, path);
    return statSync(file, { throwIfNoEntry: false })?.isFile() ? readFileSync(file, "utf8") : undefined;
  };
  const template = { name: named, jinjaFile: preview.template && !named ? readJinja(preview.template) : undefined };
  return axolotlArguments(settings, typeof root === "object" && root !== null ? (root as Record<string, unknown>) : undefined, template, readJinja);
}

export interface TrainerCheckResult {
  agrees: boolean;
  summary: string;
  python?: string;
}

/**
 * Check with My Trainer: runs the trainer's own preprocessing on the row under the cursor (in the
 * user's Python: instructStudio.python, the Python extension's interpreter, python3) and
 * says whether its ids and labels are the panel's, or where they first differ. Trusted
 * workspaces only: it runs code the user installed, with the workspace's row and settings.
 */
export async function checkWithTrainer(studio: InstructStudio): Promise<TrainerCheckResult> {
  const say = (result: TrainerCheckResult): TrainerCheckResult => {
    studio.log.info(`Check with my trainer: ${result.summary}`);
    void (result.agrees ? vscode.window.showInformationMessage(result.summary) : vscode.window.showWarningMessage(result.summary));
    return result;
  };
  if (!vscode.workspace.isTrusted)
    return say({ agrees: false, summary: "Check with My Trainer runs your Python and your trainer: trust this workspace first." });
  const current = studio.currentDatasetRow;
  if (!current) return say({ agrees: false, summary: "Place the cursor on a dataset row first." });
  const { preview, validation } = studio.settings.current;
  const settings = trainingSettings(preview.settings, preview.config);
  const trainer = settings.choice?.trainer ?? "axolotl";
  const tokenizer = preview.tokenizerPath;
  if (!tokenizer || !statSync(tokenizer, { throwIfNoEntry: false })?.isDirectory())
    return say({
      agrees: false,
      summary: `${viewTrainerLabels[trainer]} loads a Hugging Face tokenizer folder: set instructStudio.preview.tokenizer to one (a GGUF is llama.cpp's).`,
    });
  const rowText = current.document.lineAt(current.line).text;
  const sources = { ...preview, datasetInfo: datasetInfoEntry(current.document, validation) };
  const templatePath = trainer === "trl" ? preview.config?.trl?.chatTemplatePath : undefined;
  let config: Record<string, unknown>;
  try {
    config = trainer === "axolotl" ? axolotlConfig(preview, settings) : trainerArguments(trainer, settings);
  } catch (error) {
    return say({ agrees: false, summary: `Cannot read the training config for Axolotl: ${(error as Error).message}` });
  }
  const request: TrainerCheckRequest = {
    trainer,
    tokenizer,
    row: JSON.parse(rowText),
    config,
    dataset_info: datasetInfoAttributes(sources.datasetInfo),
    responses_only: responsesOnlyArguments(settings),
    ...(templatePath
      ? { chat_template: readFileSync(isAbsolute(templatePath) || !preview.configDir ? templatePath : join(preview.configDir, templatePath), "utf8") }
      : {}),
  };
  return vscode.window.withProgress(
    {
      location: vscode.ProgressLocation.Notification,
      title: `Running ${viewTrainerLabels[trainer]}'s preprocessing on line ${current.line + 1}…`,
      cancellable: true,
    },
    async (_progress, token) => {
      let ours: { inputIds: number[]; labels: number[] };
      try {
        ours = await studio.training.idsAndLabels(rowText, sources);
      } catch (error) {
        return say({ agrees: false, summary: `The panel cannot show this row: ${(error as Error).message}` });
      }
      const tried: string[] = [];
      for (const python of await interpreters()) {
        const abort = new AbortController();
        const cancel = token.onCancellationRequested(() => abort.abort());
        const answer = await runTrainerCheck(python, request, abort.signal).finally(() => cancel.dispose());
        if ("error" in answer && answer.missing) {
          tried.push(python);
          continue;
        }
        const texts = new Map<number, string>();
        if ("tokens" in answer && answer.tokens) answer.input_ids.forEach((id, i) => texts.set(id, answer.tokens?.[i] ?? String(id)));
        const outcome = compareWithTrainer(ours, answer, (ids) => ids.map((id) => texts.get(id) ?? `#${id}`).join(""));
        return say({ ...outcome, summary: `${outcome.summary} (${python})`, python });
      }
      return say({
        agrees: false,
        summary: `No Python here has ${viewTrainerLabels[trainer]} installed (tried ${tried.join(", ")}): set instructStudio.python (a user setting) to the Python of your training environment, or select it with the Python extension.`,
      });
    },
  );
}

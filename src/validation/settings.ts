import { readFileSync } from "node:fs";
import { isAbsolute, join } from "node:path";
import * as vscode from "vscode";
import { parseTrainingConfig, TrainingConfig } from "../core/config/trainingConfig";
import type { FormatId } from "../core/formats/detect";
import type { RuleSettings } from "../core/rules/catalog";
import type { ValidationOptions } from "../core/validate/analyzeRow";

export interface LoadedSettings {
  options: ValidationOptions;
  config?: TrainingConfig;
  configPath?: string;
  configError?: string;
}

/** The training config named by `instructStudio.trainingConfig`, resolved against the workspace. */
export function trainingConfigPath(): string | undefined {
  const setting = vscode.workspace.getConfiguration("instructStudio").get<string>("trainingConfig", "").trim();
  if (!setting) return undefined;
  if (isAbsolute(setting)) return setting;
  const folder = vscode.workspace.workspaceFolders?.[0];
  return folder ? join(folder.uri.fsPath, setting) : undefined;
}

/** Validation options from settings; a setting's format wins over the training config's. */
export function loadSettings(): LoadedSettings {
  const section = vscode.workspace.getConfiguration("instructStudio");
  const rules = section.get<RuleSettings>("rules", {});
  const format = section.get<string>("format", "auto");
  const loaded: LoadedSettings = { options: { rules } };
  const configPath = trainingConfigPath();
  if (configPath) {
    loaded.configPath = configPath;
    try {
      const config = parseTrainingConfig(readFileSync(configPath, "utf8"));
      loaded.config = config;
      Object.assign(loaded.options, { format: config.format, layout: config.layout, roles: config.roles });
    } catch (error) {
      loaded.configError = `Instruct Studio cannot use the training config ${configPath}: ${(error as Error).message}`;
    }
  }
  if (format !== "auto") loaded.options.format = format as FormatId;
  return loaded;
}

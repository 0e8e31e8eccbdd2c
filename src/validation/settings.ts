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

/** A path setting, absolute or relative to the (first) workspace folder; empty is none. */
export function workspacePath(setting: string): string | undefined {
  const value = setting.trim();
  if (!value) return undefined;
  if (isAbsolute(value)) return value;
  const folder = vscode.workspace.workspaceFolders?.[0];
  return folder ? join(folder.uri.fsPath, value) : undefined;
}

/** The training config named by `instructStudio.trainingConfig`, resolved against the workspace. */
export function trainingConfigPath(): string | undefined {
  return workspacePath(vscode.workspace.getConfiguration("instructStudio").get<string>("trainingConfig", ""));
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

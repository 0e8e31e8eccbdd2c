import * as vscode from "vscode";
import { builtinTemplate } from "../core/templates/builtinTemplates";
import type { TrainOnEos, TrainingSettings } from "../core/training/trainingSettings";
import { trainingConfigPath, workspacePath } from "../validation/settings";
import { restrictToTrusted } from "./restrictedMode";

/** What the preview worker is told to use, resolved from settings and workspace trust. */
export interface PreviewSources {
  tokenizerPath?: string;
  template?: string;
  configPath?: string;
  settings: Partial<TrainingSettings>;
  timeoutMs: number;
  /** Why something configured was left out (Restricted Mode). */
  restricted?: string;
}

/**
 * The preview's sources from settings. In an untrusted workspace the workspace's own model
 * files are dropped (restrictedMode.ts); the manifest also marks these settings restricted, so
 * a workspace cannot set them.
 */
export function previewSources(): PreviewSources {
  const section = vscode.workspace.getConfiguration("instructStudio.preview");
  const templateSetting = section.get<string>("template", "").trim();
  const sequenceLen = section.get<number>("sequenceLen", 0);
  const sources: PreviewSources = {
    tokenizerPath: workspacePath(section.get<string>("tokenizer", "")),
    template: templateSetting && !builtinTemplate(templateSetting) ? workspacePath(templateSetting) : templateSetting || undefined,
    configPath: trainingConfigPath(),
    settings: {
      rolesToTrain: section.get<string[]>("rolesToTrain", ["assistant"]),
      trainOnEos: section.get<TrainOnEos>("trainOnEos", "turn"),
      trainOnInputs: section.get<boolean>("trainOnInputs", false),
      sequenceLen: sequenceLen > 0 ? sequenceLen : undefined,
    },
    timeoutMs: Math.max(1, section.get<number>("timeoutSeconds", 10)) * 1000,
  };
  if (vscode.workspace.isTrusted) return sources;
  const folders = (vscode.workspace.workspaceFolders ?? []).map((f) => f.uri.fsPath);
  const { files, restricted } = restrictToTrusted(sources, folders);
  return { ...files, restricted };
}

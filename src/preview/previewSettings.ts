import { isAbsolute, join, relative } from "node:path";
import * as vscode from "vscode";
import { builtinTemplate } from "../core/templates/builtinTemplates";
import type { TrainOnEos, TrainingSettings } from "../core/training/trainingSettings";
import { trainingConfigPath } from "../validation/settings";

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

function resolvePath(setting: string): string | undefined {
  const value = setting.trim();
  if (!value) return undefined;
  if (isAbsolute(value)) return value;
  const folder = vscode.workspace.workspaceFolders?.[0];
  return folder ? join(folder.uri.fsPath, value) : undefined;
}

function insideWorkspace(path: string): boolean {
  return (vscode.workspace.workspaceFolders ?? []).some((f) => {
    const rel = relative(f.uri.fsPath, path);
    return !rel.startsWith("..") && !isAbsolute(rel);
  });
}

/**
 * In an untrusted workspace no template or model file from the workspace runs: tokenizer,
 * template file and training config inside it are dropped (built-in templates, estimated
 * counts). The manifest also marks these settings restricted, so a workspace cannot set them.
 */
export function previewSources(): PreviewSources {
  const section = vscode.workspace.getConfiguration("instructStudio.preview");
  const templateSetting = section.get<string>("template", "").trim();
  const sequenceLen = section.get<number>("sequenceLen", 0);
  const sources: PreviewSources = {
    tokenizerPath: resolvePath(section.get<string>("tokenizer", "")),
    template: templateSetting && !builtinTemplate(templateSetting) ? resolvePath(templateSetting) : templateSetting || undefined,
    configPath: trainingConfigPath(),
    settings: {
      rolesToTrain: section.get<string[]>("rolesToTrain", ["assistant"]),
      trainOnEos: section.get<TrainOnEos>("trainOnEos", "turn"),
      trainOnInputs: section.get<boolean>("trainOnInputs", false),
      sequenceLen: sequenceLen > 0 ? sequenceLen : undefined,
    },
    timeoutMs: Math.max(1, section.get<number>("timeoutSeconds", 10)) * 1000,
  };
  if (!vscode.workspace.isTrusted) {
    const dropped: string[] = [];
    if (sources.tokenizerPath && insideWorkspace(sources.tokenizerPath)) dropped.push("tokenizer"), (sources.tokenizerPath = undefined);
    if (sources.template && !builtinTemplate(sources.template) && insideWorkspace(sources.template)) dropped.push("template file"), (sources.template = undefined);
    if (sources.configPath && insideWorkspace(sources.configPath)) dropped.push("training config"), (sources.configPath = undefined);
    if (dropped.length > 0) sources.restricted = `Restricted Mode: the workspace's ${dropped.join(", ")} is not run until you trust this folder; built-in template and estimated counts shown.`;
  }
  return sources;
}

// One snapshot of the extension's settings and its training config, read once per change and
// fed to validation, the preview and the model commands alike.
import { mappingOf } from "./core/formats/instructionTypes";
import { dirname, isAbsolute, join } from "node:path";
import * as vscode from "vscode";
import type { TrainingConfig } from "./core/config/trainingConfig";
import { ConfigLoader } from "./configLoader";
import type { FormatId } from "./core/formats/detect";
import { isUrl } from "./core/model/backend";
import { parseRuleSettings } from "./core/rules/ruleSettings";
import { namesTemplate } from "./core/templates/axolotl/resolve";
import { builtinTemplate } from "./core/templates/builtinTemplates";
import type { TrainOnEos, TrainingSettings } from "./core/training/trainingSettings";
import type { ValidationOptions } from "./core/validate/analyzeRow";
import type { BackendSettings } from "./backend/createBackend";
import type { TemplateContext, WorkerFiles } from "./protocol/previewWorker";
import { AxolotlLocator } from "./preview/axolotlLocator";
import { inWorkspace, restrictToTrusted } from "./preview/restrictedMode";
import { isTrainerTarget, trainerTargets } from "./core/targets/trainerTarget";

/** A path setting, absolute or relative to the (first) workspace folder; empty is none. */
export function workspacePath(setting: string): string | undefined {
  const value = setting.trim();
  if (!value) return undefined;
  if (isAbsolute(value)) return value;
  const folder = vscode.workspace.workspaceFolders?.[0];
  return folder ? join(folder.uri.fsPath, value) : undefined;
}

export interface ValidationSettings {
  options: ValidationOptions;
  config?: TrainingConfig;
  configPath?: string;
  configError?: string;
  /** Why the config is not applied yet (a large one being parsed off the host). */
  configPending?: string;
  /** Setting values that were not understood, each named. */
  settingsProblems?: string[];
  /** LLaMA-Factory's dataset_info.json from the setting; without it, one beside each file is read. Never in Restricted Mode. */
  datasetInfo?: { path?: string } | "restricted";
}

/** What the preview worker is told to use, resolved from settings and workspace trust. */
export interface PreviewSources extends WorkerFiles, TemplateContext {
  config?: TrainingConfig;
  settings: Partial<TrainingSettings>;
  timeoutMs: number;
  /** Why something configured was left out (Restricted Mode). */
  restricted?: string;
}

export type ModelSettings = Omit<BackendSettings, "log" | "model"> & {
  /** A .gguf path or a server URL; undefined when none is chosen. */
  model?: string;
  idleUnloadMs: number;
  maxTokens: number;
  temperature: number;
  topP: number;
  /** Why the model cannot be used here (Restricted Mode). */
  restricted?: string;
};

export interface SettingsSnapshot {
  validation: ValidationSettings;
  preview: PreviewSources;
  model: ModelSettings;
}

const workspaceFolders = () => (vscode.workspace.workspaceFolders ?? []).map((f) => f.uri.fsPath);

function read(configs: ConfigLoader, axolotl: AxolotlLocator): SettingsSnapshot {
  const section = vscode.workspace.getConfiguration("instructStudio");
  const trusted = vscode.workspace.isTrusted;
  let configPath = workspacePath(section.get<string>("trainingConfig", ""));
  let configRestricted: string | undefined;
  if (!trusted && configPath) {
    const restricted = restrictToTrusted({ configPath }, workspaceFolders());
    configPath = restricted.files.configPath;
    configRestricted = restricted.restricted;
  }
  const { config, configError, configPending } = configs.read(configPath);
  const formatSetting = section.get<string>("format", "auto");
  // An explicit format setting wins over the training config's dataset type, everywhere.
  const format = formatSetting !== "auto" ? (formatSetting as FormatId) : config?.format;
  const { rules, problems } = parseRuleSettings(section.get<unknown>("rules", {}));
  const targetSetting = section.get<unknown>("target", "any");
  const target = isTrainerTarget(targetSetting) ? targetSetting : undefined;
  if (targetSetting !== "any" && !target) problems.push(`instructStudio.target: "${String(targetSetting)}" is not one of any, ${trainerTargets.join(", ")}; no target is applied`);
  const validation: ValidationSettings = {
    options: { rules, format, ...mappingOf(config), target },
    config,
    configPath,
    configError,
    configPending,
    settingsProblems: problems,
    datasetInfo: trusted ? { path: workspacePath(section.get<string>("datasetInfo", "")) } : "restricted",
  };

  const templateSetting = section.get<string>("preview.template", "").trim();
  const sequenceLen = section.get<number>("preview.sequenceLen", 0);
  let preview: PreviewSources = {
    tokenizerPath: workspacePath(section.get<string>("preview.tokenizer", "")),
    template: templateSetting && !builtinTemplate(templateSetting) ? workspacePath(templateSetting) : templateSetting || undefined,
    configPath,
    configDir: configPath && dirname(configPath),
    config: config ? { ...config, format } : undefined,
    // Finding the user's Axolotl may run their Python: never in Restricted Mode.
    axolotl: trusted && namesTemplate(config?.chatTemplate) ? axolotl.current(workspacePath(section.get<string>("axolotl.path", ""))) : undefined,
    settings: {
      rolesToTrain: section.get<string[]>("preview.rolesToTrain", ["assistant"]),
      trainOnEos: section.get<TrainOnEos>("preview.trainOnEos", "turn"),
      trainOnInputs: section.get<boolean>("preview.trainOnInputs", false),
      sequenceLen: sequenceLen > 0 ? sequenceLen : undefined,
    },
    timeoutMs: Math.max(1, section.get<number>("preview.timeoutSeconds", 10)) * 1000,
    restricted: configRestricted,
  };
  if (!trusted) {
    const { files, restricted } = restrictToTrusted(preview, workspaceFolders());
    preview = { ...files, restricted: restricted ?? configRestricted };
  }

  const endpoint = section.get<string>("model.endpoint", "").trim();
  const modelPath = workspacePath(section.get<string>("model.path", ""));
  let model = endpoint && isUrl(endpoint) ? endpoint : modelPath;
  let modelRestricted: string | undefined;
  if (!trusted && model && !isUrl(model) && inWorkspace(model, workspaceFolders())) {
    modelRestricted = "Restricted Mode: a model file inside this workspace is not run until you trust the folder.";
    model = undefined;
  }
  const positive = (key: string, fallback: number) => Math.max(1, section.get<number>(key, fallback));
  return {
    validation,
    preview,
    model: {
      model,
      serverModel: section.get<string>("model.endpointModel", "").trim() || undefined,
      apiKey: process.env.INSTRUCT_STUDIO_API_KEY,
      contextSize: positive("model.contextSize", 8192),
      parallel: positive("model.parallel", 2),
      gpu: section.get<string>("model.gpu", "auto") === "off" ? false : "auto",
      stallTimeoutMs: positive("model.stallTimeoutSeconds", 120) * 1000,
      idleUnloadMs: Math.max(0, section.get<number>("model.idleUnloadMinutes", 10)) * 60_000,
      maxTokens: positive("model.maxTokens", 1024),
      temperature: Math.max(0, section.get<number>("model.temperature", 0.7)),
      topP: Math.min(1, Math.max(0, section.get<number>("model.topP", 0.5))),
      restricted: modelRestricted,
    },
  };
}

/** Reads the settings once per change (settings, trust, the training config file) and tells who listens. */
export class Settings implements vscode.Disposable {
  private snapshot: SettingsSnapshot;
  private configWatcher: vscode.FileSystemWatcher | undefined;
  private readonly changed = new vscode.EventEmitter<SettingsSnapshot>();
  private readonly subscriptions: vscode.Disposable[];
  private readonly configs = new ConfigLoader(() => !this.disposed && this.reload());
  private disposed = false;
  private readonly axolotl: AxolotlLocator;
  readonly onDidChange = this.changed.event;

  constructor(private readonly log: vscode.LogOutputChannel) {
    this.axolotl = new AxolotlLocator(log, () => !this.disposed && this.reload());
    this.snapshot = this.readAndReport();
    this.subscriptions = [
      vscode.workspace.onDidChangeConfiguration((e) => e.affectsConfiguration("instructStudio") && this.reload()),
      vscode.workspace.onDidGrantWorkspaceTrust(() => this.reload()),
    ];
    this.watchConfig();
  }

  get current(): SettingsSnapshot {
    return this.snapshot;
  }

  private readAndReport(): SettingsSnapshot {
    const snapshot = read(this.configs, this.axolotl);
    const { configError, configPending, settingsProblems = [] } = snapshot.validation;
    if (configPending) this.log.info(configPending);
    for (const problem of [...(configError ? [configError] : []), ...settingsProblems]) {
      this.log.warn(problem);
      void vscode.window.showWarningMessage(problem);
    }
    return snapshot;
  }

  private reload(): void {
    this.snapshot = this.readAndReport();
    this.watchConfig();
    this.changed.fire(this.snapshot);
  }

  private watchConfig(): void {
    this.configWatcher?.dispose();
    this.configWatcher = undefined;
    const path = this.snapshot.validation.configPath;
    if (!path) return;
    this.configWatcher = vscode.workspace.createFileSystemWatcher(path);
    this.configWatcher.onDidChange(() => this.reload());
    this.configWatcher.onDidCreate(() => this.reload());
  }

  dispose(): void {
    this.disposed = true;
    this.configWatcher?.dispose();
    this.subscriptions.forEach((s) => s.dispose());
    this.changed.dispose();
  }
}

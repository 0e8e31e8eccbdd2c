// One snapshot of the extension's settings and its training config, read once per change and
// fed to validation, the preview and the model commands alike.
import { mappingOf } from "../core/formats/instructionTypes";
import { dirname, isAbsolute, join } from "node:path";
import * as vscode from "vscode";
import type { TrainingConfig } from "../core/config/trainingConfig";
import type { ConfigProblem } from "../core/config/configNumbers";
import { ConfigLoader } from "./configLoader";
import type { FormatId } from "../core/formats/formatLabels";
import { isUrlList } from "../core/model/backend";
import { apiKeyFromEnvironment, modelDefaults } from "../core/model/modelDefaults";
import { parseRuleSettings } from "../core/rules/ruleSettings";
import { namesTemplate } from "../core/templates/axolotl/resolve";
import { viewTrainerOf } from "../core/trainers/trainerChoice";
import { needsTrlTemplates } from "../core/trainers/trl/trlTemplates";
import { builtinTemplate } from "../core/templates/builtinTemplates";
import { defaultPreviewTimeoutSeconds, TrainOnEos, TrainingSettings } from "../core/training/trainingSettings";
import type { ValidationOptions } from "../core/validate/analyzeRow";
import type { BackendSettings } from "../backend/createBackend";
import type { TemplateContext, WorkerFiles } from "../protocol/previewWorker";
import { AxolotlLocator, TrlLocator } from "../preview/axolotlLocator";
import { inWorkspace, restrictToTrusted } from "../preview/restrictedMode";
import { isTrainerTarget, trainerTargets } from "../core/targets/trainerTarget";

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
export interface EditorPreviewSources extends WorkerFiles, TemplateContext {
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
  /** The server URL came from the workspace's settings, not the user's: the API key goes to it only once the user agrees. */
  endpointFromWorkspace: boolean;
};

/** Settings of the editor's own behaviour, read here like every other. */
export interface EditorSettings {
  followCursor: boolean;
  /** Open a `.json` file of JSON Lines as JSON Lines. */
  openJsonLinesInJsonFiles: boolean;
  codeLens: boolean;
  budgetGpus: number;
}

export interface SettingsSnapshot {
  validation: ValidationSettings;
  preview: EditorPreviewSources;
  model: ModelSettings;
  editor: EditorSettings;
}

const workspaceFolders = () => (vscode.workspace.workspaceFolders ?? []).map((f) => f.uri.fsPath);

function read(configs: ConfigLoader, axolotl: AxolotlLocator, trlLocator: TrlLocator): SettingsSnapshot {
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
  if (targetSetting !== "any" && !target)
    problems.push(`instructStudio.target: "${String(targetSetting)}" is not one of any, ${trainerTargets.join(", ")}; no target is applied`);
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
  let preview: EditorPreviewSources = {
    tokenizerPath: workspacePath(section.get<string>("preview.tokenizer", "")),
    template: templateSetting && !builtinTemplate(templateSetting) ? workspacePath(templateSetting) : templateSetting || undefined,
    configPath,
    configDir: configPath && dirname(configPath),
    config: config ? { ...config, format } : undefined,
    // Finding the user's Axolotl may run their Python: never in Restricted Mode.
    axolotl: trusted && namesTemplate(config?.chatTemplate) ? axolotl.current(workspacePath(section.get<string>("axolotl.path", ""))) : undefined,
    // TRL's training templates matter only for its assistant_only_loss.
    trl: trusted && needsTrlTemplates(viewTrainerOf(target), config) ? trlLocator.current() : undefined,
    settings: {
      trainer: viewTrainerOf(target),
      rolesToTrain: section.get<string[]>("preview.rolesToTrain", ["assistant"]),
      trainOnEos: section.get<TrainOnEos>("preview.trainOnEos", "turn"),
      trainOnInputs: section.get<boolean>("preview.trainOnInputs", false),
      sequenceLen: sequenceLen > 0 ? sequenceLen : undefined,
    },
    timeoutMs: Math.max(1, section.get<number>("preview.timeoutSeconds", defaultPreviewTimeoutSeconds)) * 1000,
    restricted: configRestricted,
  };
  if (!trusted) {
    const { files, restricted } = restrictToTrusted(preview, workspaceFolders());
    preview = { ...files, restricted: restricted ?? configRestricted };
  }

  return { validation, preview, model: modelSettings(section, trusted), editor: editorSettings(section) };
}

/**
 * Where the server URL comes from matters: a workspace's settings travel with a cloned repository.
 * In Restricted Mode only the user's own value counts (VS Code hides the workspace's too, as
 * `restrictedConfigurations` says); in a trusted workspace a URL the workspace chose is used, and
 * the model manager asks before sending the user's API key to it.
 */
function endpointSetting(section: vscode.WorkspaceConfiguration, trusted: boolean): { endpoint: string; fromWorkspace: boolean } {
  const values = section.inspect<string>("model.endpoint");
  const user = (values?.globalValue ?? "").trim();
  const workspace = (values?.workspaceFolderValue ?? values?.workspaceValue ?? "").trim();
  if (!trusted || !workspace || workspace === user) return { endpoint: user, fromWorkspace: false };
  return { endpoint: workspace, fromWorkspace: true };
}

function modelSettings(section: vscode.WorkspaceConfiguration, trusted: boolean): ModelSettings {
  const { endpoint, fromWorkspace } = endpointSetting(section, trusted);
  const modelPath = workspacePath(section.get<string>("model.path", ""));
  const useEndpoint = endpoint !== "" && isUrlList(endpoint);
  let model = useEndpoint ? endpoint : modelPath;
  let modelRestricted: string | undefined;
  if (!trusted && model && !isUrlList(model) && inWorkspace(model, workspaceFolders())) {
    modelRestricted = "Restricted Mode: a model file inside this workspace is not run until you trust the folder.";
    model = undefined;
  }
  const positive = (key: string, fallback: number) => Math.max(1, section.get<number>(key, fallback));
  return {
    model,
    serverModel: section.get<string>("model.endpointModel", "").trim() || undefined,
    apiKey: apiKeyFromEnvironment(),
    endpointFromWorkspace: useEndpoint && fromWorkspace,
    contextSize: positive("model.contextSize", modelDefaults.contextSize),
    parallel: positive("model.parallel", modelDefaults.parallel),
    gpu: section.get<string>("model.gpu", "auto") === "off" ? false : "auto",
    stallTimeoutMs: positive("model.stallTimeoutSeconds", modelDefaults.stallTimeoutSeconds) * 1000,
    timeoutMs: positive("model.timeoutSeconds", modelDefaults.timeoutSeconds) * 1000,
    timeoutSetting: "instructStudio.model.timeoutSeconds",
    idleUnloadMs: Math.max(0, section.get<number>("model.idleUnloadMinutes", modelDefaults.idleUnloadMinutes)) * 60_000,
    maxTokens: positive("model.maxTokens", modelDefaults.maxTokens),
    temperature: Math.max(0, section.get<number>("model.temperature", modelDefaults.temperature)),
    topP: Math.min(1, Math.max(0, section.get<number>("model.topP", modelDefaults.topP))),
    restricted: modelRestricted,
  };
}

function editorSettings(section: vscode.WorkspaceConfiguration): EditorSettings {
  return {
    followCursor: section.get<boolean>("preview.followCursor", true),
    openJsonLinesInJsonFiles: section.get<boolean>("openJsonLinesInJsonFiles", true),
    codeLens: section.get<boolean>("model.codeLens", true),
    budgetGpus: Math.max(1, Math.floor(section.get<number>("budget.gpus", 1)) || 1),
  };
}

/** Where the model commands' choice is saved: the user's settings, never the workspace's. */
export async function saveModelChoice(model: string): Promise<void> {
  const section = vscode.workspace.getConfiguration("instructStudio");
  if (isUrlList(model)) await section.update("model.endpoint", model, vscode.ConfigurationTarget.Global);
  else {
    await section.update("model.endpoint", "", vscode.ConfigurationTarget.Global);
    await section.update("model.path", model, vscode.ConfigurationTarget.Global);
  }
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
  private readonly trl: TrlLocator;
  /** Findings in the training config itself (values the trainer would refuse), shown on the YAML. */
  private readonly configDiagnostics = vscode.languages.createDiagnosticCollection("instructStudio.trainingConfig");
  readonly onDidChange = this.changed.event;

  constructor(private readonly log: vscode.LogOutputChannel) {
    this.axolotl = new AxolotlLocator(log, () => !this.disposed && this.reload());
    this.trl = new TrlLocator(log, () => !this.disposed && this.reload());
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
    const snapshot = read(this.configs, this.axolotl, this.trl);
    const { configError, configPending, settingsProblems = [], config, configPath } = snapshot.validation;
    if (configPending) this.log.info(configPending);
    this.showConfigProblems(configPath, config?.problems ?? []);
    for (const problem of [...(configError ? [configError] : []), ...settingsProblems]) {
      this.log.warn(problem);
      void vscode.window.showWarningMessage(problem);
    }
    return snapshot;
  }

  private showConfigProblems(configPath: string | undefined, problems: ConfigProblem[]): void {
    this.configDiagnostics.clear();
    if (!configPath || problems.length === 0) return;
    for (const problem of problems) this.log.warn(`${configPath}: ${problem.message}`);
    this.configDiagnostics.set(
      vscode.Uri.file(configPath),
      problems.map((p) => {
        const range = new vscode.Range(p.line ?? 0, p.column ?? 0, p.endLine ?? p.line ?? 0, p.endColumn ?? p.column ?? 0);
        const diagnostic = new vscode.Diagnostic(range, p.message, vscode.DiagnosticSeverity.Error);
        diagnostic.source = "Instruct Studio";
        diagnostic.code = p.key;
        return diagnostic;
      }),
    );
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
    this.configDiagnostics.dispose();
    this.subscriptions.forEach((s) => s.dispose());
    this.changed.dispose();
  }
}

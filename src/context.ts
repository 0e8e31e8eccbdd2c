import { join } from "node:path";
import * as vscode from "vscode";
import { datasetInfoEntry } from "./validation/documentOptions";
import { LlamaWorkerBackend } from "./backend/llamaBackend";
import { BudgetHost } from "./budget/budgetHost";
import { BudgetView } from "./budget/budgetView";
import { registerCommands } from "./commands";
import { CursorFollower } from "./editor/cursorFollower";
import { JsonLinesInJsonFiles } from "./editor/jsonLinesInJsonFiles";
import { LongLineNotice } from "./editor/longLineNotice";
import { PreviewViewProvider } from "./preview/previewViewProvider";
import { TrainingPreviewHost } from "./preview/trainingPreviewHost";
import { isJsonl, rowAt, rowText } from "./editor/rowAtCursor";
import { ArrayValidationController } from "./validation/arrayValidation";
import { FixProvider } from "./validation/codeActions";
import { RowHoverProvider } from "./validation/hover";
import { ValidationStatusBar } from "./validation/statusBar";
import { ValidationController } from "./validation/validationController";
import { CritiqueMemory } from "./model/critiqueMemory";
import { CritiqueStore } from "./model/critiqueStore";
import { registerModelCommands } from "./model/modelCommands";
import { ModelJobs } from "./model/modelJobs";
import { ModelManager } from "./model/modelManager";
import { RowActionsLens } from "./model/rowActionsLens";
import { Settings } from "./settings/settings";

/**
 * Owns everything the extension creates; disposing it undoes activation. Heavy pieces
 * (tokenizers, templates, the model backend) are created on first use, never here.
 */
export class InstructStudio implements vscode.Disposable {
  readonly log: vscode.LogOutputChannel;
  readonly preview: PreviewViewProvider;
  readonly validation: ValidationController;
  /** JSON files holding an array of rows. */
  readonly arrays: ArrayValidationController;
  readonly statusBar: ValidationStatusBar;
  readonly settings: Settings;
  readonly models: ModelManager;
  readonly jobs = new ModelJobs();
  readonly critiques: CritiqueStore;
  readonly budget: BudgetView;
  activationMs = 0;
  private readonly disposables: vscode.Disposable[] = [];
  private runtimeProbe: LlamaWorkerBackend | undefined;
  private trainingHost: TrainingPreviewHost | undefined;
  /** The budget worker is started by the first run, not here. */
  private readonly budgetHost: BudgetHost;
  private previewSequence = 0;
  /** The row the preview shows while focus is outside any dataset editor. */
  private lastDatasetRow: { document: vscode.TextDocument; line: number } | undefined;

  constructor(readonly extension: vscode.ExtensionContext) {
    this.log = vscode.window.createOutputChannel("Instruct Studio", { log: true });
    this.preview = new PreviewViewProvider(extension.extensionUri, () => this.refreshPreview());
    this.settings = new Settings(this.log);
    this.validation = new ValidationController(this.log, this.settings);
    this.arrays = new ArrayValidationController(this.log, this.settings, this.validation.worker);
    this.statusBar = new ValidationStatusBar(this.validation);
    this.models = new ModelManager(this.settings, join(extension.extensionPath, "out"), this.log, extension.globalState);
    const storage = extension.storageUri ?? extension.globalStorageUri;
    this.critiques = new CritiqueStore(new CritiqueMemory(join(storage.fsPath, "critiques")));
    this.budgetHost = new BudgetHost(join(extension.extensionPath, "out"));
    this.budget = new BudgetView(extension.extensionUri, this.settings, this.budgetHost, this.log);
    const rowActions = new RowActionsLens(this.models, this.settings);
    const jsonl: vscode.DocumentSelector = { language: "jsonl" };
    this.disposables.push(
      this.log,
      this.settings,
      this.models,
      this.critiques,
      rowActions,
      vscode.languages.registerHoverProvider(jsonl, this.critiques),
      vscode.languages.registerCodeActionsProvider(jsonl, this.critiques, { providedCodeActionKinds: CritiqueStore.kinds }),
      vscode.languages.registerCodeLensProvider(jsonl, rowActions),
      ...registerModelCommands(this),
      this.preview,
      this.budget,
      this.budgetHost,
      this.validation,
      this.arrays,
      this.statusBar,
      vscode.languages.registerCodeActionsProvider(jsonl, new FixProvider(this.validation), { providedCodeActionKinds: FixProvider.kinds }),
      vscode.languages.registerHoverProvider(jsonl, new RowHoverProvider(this.validation)),
      vscode.window.registerWebviewViewProvider(PreviewViewProvider.viewId, this.preview),
      new CursorFollower(this.settings, () => this.preview.isVisible && this.refreshPreview()),
      this.settings.onDidChange(() => this.preview.isVisible && this.refreshPreview()),
      new LongLineNotice(extension.globalState),
      new JsonLinesInJsonFiles(this.settings, this.log),
      ...registerCommands(this),
    );
  }

  /** A bare model worker that only reports which llama.cpp build loads here (started on first use). */
  get runtime(): LlamaWorkerBackend {
    return (this.runtimeProbe ??= new LlamaWorkerBackend(join(this.extension.extensionPath, "out"), {
      modelPath: "",
      contextSize: 0,
      sequences: 1,
      gpu: false,
      stallTimeoutMs: 300_000,
    }));
  }

  /** Template rendering and tokenization, in their own process, started on first use. */
  get training(): TrainingPreviewHost {
    return (this.trainingHost ??= new TrainingPreviewHost(join(this.extension.extensionPath, "out")));
  }

  get budgetPid(): number | undefined {
    return this.budgetHost.pid;
  }

  /** The dataset row the preview shows: the cursor's, or the last one while focus is elsewhere. */
  get currentDatasetRow(): { document: vscode.TextDocument; line: number } | undefined {
    const last = this.lastDatasetRow;
    return last && !last.document.isClosed && last.line < last.document.lineCount ? last : undefined;
  }

  get trainingPid(): number | undefined {
    return this.trainingHost?.pid;
  }

  /**
   * Sends the row under the cursor of the active JSONL editor to the preview, then its training
   * view. When focus moves elsewhere (the Dataset view, a config file) the last dataset row stays.
   */
  refreshPreview(): void {
    const editor = vscode.window.activeTextEditor;
    if (editor && isJsonl(editor.document)) this.lastDatasetRow = { document: editor.document, line: editor.selection.active.line };
    const last = this.lastDatasetRow;
    if (!last || last.document.isClosed || last.line >= last.document.lineCount) {
      this.preview.post({ type: "showEmpty", reason: "Open a .jsonl dataset and place the cursor on a row." });
      return;
    }
    const { document, line } = last;
    const row = rowAt(document, line);
    if (!row) {
      this.preview.post({ type: "showEmpty", reason: "This line is blank." });
      return;
    }
    this.preview.post({ type: "showRow", row });
    if (row.syntaxErrors.length > 0) return;
    const sequence = ++this.previewSequence;
    const sources = { ...this.settings.current.preview, datasetInfo: datasetInfoEntry(document, this.settings.current.validation) };
    void this.training.render(rowText(document, line), sources).then((result) => {
      if (sequence !== this.previewSequence || (!result.ok && result.superseded)) return;
      if (!result.ok) this.log.warn(`Preview of line ${line + 1}: ${result.message}`);
      else if (result.tokenizerLoadMs !== undefined)
        this.log.info(`Tokenizer ${result.preview.tokenizerLabel} loaded in ${Math.round(result.tokenizerLoadMs)} ms`);
      this.preview.post(
        result.ok
          ? { type: "showTraining", uri: row.uri, line, training: result.preview }
          : { type: "showTrainingError", uri: row.uri, line, message: result.message },
      );
    });
  }

  dispose(): void {
    this.runtimeProbe?.dispose();
    this.trainingHost?.dispose();
    for (const d of this.disposables.splice(0).reverse()) d.dispose();
  }
}

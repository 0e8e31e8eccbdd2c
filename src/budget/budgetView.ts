import { existsSync, statSync } from "node:fs";
import { dirname, isAbsolute, join } from "node:path";
import * as vscode from "vscode";
import { BudgetHost } from "./budgetHost";
import { webviewHtml } from "../preview/webviewHtml";
import type { BudgetFromWebview, BudgetRendered, BudgetToWebview } from "../protocol/webview";
import type { Settings } from "../settings/settings";
import { workspacePath } from "../settings/settings";
import { datasetInfoEntryOf } from "../validation/documentOptions";

/** Edits are followed after this pause in typing. */
const followDelayMs = 1200;

/**
 * The Dataset view: the training budget of a dataset (one file or a config's several) in an
 * editor-area webview. The figures come from the budget worker process; this class only picks
 * the files, follows their edits and saves exported plots.
 */
export class BudgetView implements vscode.Disposable {
  static readonly viewType = "instructStudio.budget";
  private panel: vscode.WebviewPanel | undefined;
  private files: string[] = [];
  private gpus: number;
  private ready = false;
  /** The last message of each kind the view needs to redraw itself after a reload. */
  private shown: BudgetToWebview[] = [];
  private followTimer: NodeJS.Timeout | undefined;
  private readonly disposables: vscode.Disposable[] = [];
  lastRendered: BudgetRendered | undefined;
  lastReport: Extract<BudgetToWebview, { type: "budgetReport" }> | undefined;
  /** Rows the last run measured anew: an edit re-measures only what changed. */
  lastMeasuredRows: number | undefined;
  /** Runs that ended with a report. */
  completedRuns = 0;

  constructor(
    private readonly extensionUri: vscode.Uri,
    private readonly settings: Settings,
    private readonly host: BudgetHost,
    private readonly log: vscode.LogOutputChannel,
  ) {
    let gpusSetting = settings.current.editor.budgetGpus;
    this.gpus = gpusSetting;
    this.disposables.push(
      vscode.workspace.onDidChangeTextDocument((e) => this.isShown(e.document.uri) && e.contentChanges.length > 0 && this.follow()),
      vscode.workspace.onDidSaveTextDocument((d) => this.isShown(d.uri) && this.follow()),
      settings.onDidChange((snapshot) => {
        // The view's own GPU field wins until the setting itself changes again.
        if (snapshot.editor.budgetGpus !== gpusSetting) this.gpus = gpusSetting = snapshot.editor.budgetGpus;
        if (this.panel) void this.run();
      }),
    );
  }

  /** Opens the view on `uris`, else the training config's local datasets, else the active dataset. */
  async show(uris?: vscode.Uri[]): Promise<void> {
    const files = uris?.length ? uris.map((u) => u.fsPath) : this.defaultFiles();
    if (files.length === 0) {
      void vscode.window.showWarningMessage(
        "Open a .jsonl dataset (or set instructStudio.trainingConfig to a config whose datasets are local files) to see its training budget.",
      );
      return;
    }
    this.files = files;
    if (!this.panel) this.createPanel();
    else this.panel.reveal(vscode.ViewColumn.Beside);
    this.panel!.title = `Training Budget: ${files.length === 1 ? files[0].split(/[\\/]/).pop() : `${files.length} files`}`;
    // The command returns at once; the view shows the run's progress.
    void this.run();
  }

  private defaultFiles(): string[] {
    const { config, configPath } = this.settings.current.validation;
    const fromConfig = (config?.datasetPaths ?? []).map((p) => resolveDatasetPath(p, configPath)).filter((p): p is string => p !== undefined);
    if (fromConfig.length > 0) return fromConfig;
    const document = vscode.window.activeTextEditor?.document;
    return document && document.uri.scheme === "file" && (document.languageId === "jsonl" || document.fileName.endsWith(".json")) ? [document.uri.fsPath] : [];
  }

  private isShown(uri: vscode.Uri): boolean {
    return this.panel !== undefined && uri.scheme === "file" && this.files.includes(uri.fsPath);
  }

  private follow(): void {
    clearTimeout(this.followTimer);
    this.followTimer = setTimeout(() => void this.run(), followDelayMs);
  }

  /** Measures the files (open documents with unsaved edits from their text) and shows the report. */
  async run(): Promise<void> {
    if (!this.panel || this.files.length === 0) return;
    const { preview: sources, validation } = this.settings.current;
    const datasetInfoByFile = Object.fromEntries(this.files.map((file) => [file, datasetInfoEntryOf(file, validation)]));
    const texts: Record<string, string> = {};
    for (const document of vscode.workspace.textDocuments) {
      // Open documents go as text (saved or not): the worker re-measures only the rows that changed since its last run.
      if (document.uri.scheme === "file" && this.files.includes(document.uri.fsPath)) texts[document.uri.fsPath] = document.getText();
    }
    this.post({ type: "budgetRunning", files: this.files, gpus: this.gpus });
    const result = await this.host.run(
      {
        files: this.files,
        texts,
        gpus: this.gpus,
        sources: {
          tokenizerPath: sources.tokenizerPath,
          template: sources.template,
          config: sources.config,
          configDir: sources.configDir,
          axolotl: sources.axolotl,
          trl: sources.trl,
          settings: sources.settings,
          datasetInfoByFile,
        },
      },
      ({ bytesDone, bytesTotal, rows }) => this.post({ type: "budgetProgress", bytesDone, bytesTotal, rows }),
    );
    if (result.kind === "superseded") return;
    if (result.kind === "report") {
      this.lastMeasuredRows = result.measuredRows;
      this.completedRuns++;
      this.log.info(
        `Training budget of ${this.files.length} file(s): ${result.report.rows.toLocaleString("en-US")} rows in ${result.seconds.toFixed(1)} s, ${result.measuredRows.toLocaleString("en-US")} measured anew (${result.report.counting})`,
      );
      this.post({
        type: "budgetReport",
        report: sources.restricted ? { ...result.report, template: `${result.report.template} (${sources.restricted})` } : result.report,
        seconds: result.seconds,
        gpus: this.gpus,
      });
    } else if (result.kind === "cancelled") this.post({ type: "budgetCancelled" });
    else {
      this.log.warn(`Training budget: ${result.message}`);
      this.post({ type: "budgetError", message: result.message });
    }
  }

  cancel(): void {
    this.host.cancel();
  }

  private post(message: BudgetToWebview): void {
    if (message.type === "budgetReport") this.lastReport = message;
    if (message.type === "budgetRunning") this.shown = [message];
    else if (message.type !== "budgetProgress" && message.type !== "budgetRequestExport")
      this.shown = [...this.shown.filter((m) => m.type === "budgetRunning"), message];
    if (this.panel && this.ready) void this.panel.webview.postMessage(message);
  }

  private receive(message: BudgetFromWebview): void {
    switch (message.type) {
      case "budgetReady":
        this.ready = true;
        for (const m of this.shown) void this.panel?.webview.postMessage(m);
        return;
      case "budgetCancel":
        this.cancel();
        return;
      case "budgetRerun":
        void this.run();
        return;
      case "budgetSetGpus":
        this.gpus = Math.max(1, Math.floor(message.gpus) || 1);
        void this.run();
        return;
      case "budgetOpenRow":
        void this.openRow(message.file, message.line);
        return;
      case "budgetExport":
        void this.exportPlot(message.plot, message.format, message.data);
        return;
      case "budgetRendered":
        this.lastRendered = message.rendered;
    }
  }

  private async openRow(file: string, line: number): Promise<void> {
    if (!this.files.includes(file)) return;
    const position = new vscode.Position(Math.max(0, line - 1), 0);
    await vscode.window.showTextDocument(vscode.Uri.file(file), { selection: new vscode.Range(position, position), viewColumn: vscode.ViewColumn.One });
  }

  /** Where the next export goes without a dialog (tests: the same webview code as the buttons). */
  private exportTarget: { path: string; done: () => void } | undefined;

  exportTo(plot: "tokens-per-row" | "optimizer-steps", format: "svg" | "png", path: string): Promise<void> {
    return new Promise((done) => {
      this.exportTarget = { path, done };
      this.post({ type: "budgetRequestExport", plot, format });
    });
  }

  private async exportPlot(plot: string, format: "svg" | "png", data: string): Promise<void> {
    const bytes = format === "svg" ? Buffer.from(data, "utf8") : Buffer.from(data, "base64");
    const testTarget = this.exportTarget;
    if (testTarget) {
      this.exportTarget = undefined;
      await vscode.workspace.fs.writeFile(vscode.Uri.file(testTarget.path), bytes);
      testTarget.done();
      return;
    }
    const folder = vscode.workspace.workspaceFolders?.[0]?.uri ?? vscode.Uri.file(dirname(this.files[0]));
    const target = await vscode.window.showSaveDialog({
      defaultUri: vscode.Uri.joinPath(folder, `${plot}.${format}`),
      filters: format === "svg" ? { SVG: ["svg"] } : { PNG: ["png"] },
    });
    if (!target) return;
    await vscode.workspace.fs.writeFile(target, bytes);
    void vscode.window.showInformationMessage(`Saved ${target.fsPath.split(/[\\/]/).pop()}.`);
  }

  private createPanel(): void {
    const outUri = vscode.Uri.joinPath(this.extensionUri, "out");
    const panel = vscode.window.createWebviewPanel(BudgetView.viewType, "Training Budget", vscode.ViewColumn.Beside, {
      enableScripts: true,
      localResourceRoots: [outUri],
      retainContextWhenHidden: true,
    });
    this.panel = panel;
    this.ready = false;
    // data: images let the view turn its own SVG into a PNG (an Image drawn on a canvas).
    panel.webview.html = webviewHtml(panel.webview, outUri, { script: "budget-webview.js", title: "Training Budget", bodyClass: "budget", dataImages: true });
    const listeners = [panel.webview.onDidReceiveMessage((m: BudgetFromWebview) => this.receive(m))];
    panel.onDidDispose(() => {
      for (const l of listeners) l.dispose();
      this.panel = undefined;
      this.ready = false;
      this.host.cancel();
    });
  }

  dispose(): void {
    clearTimeout(this.followTimer);
    this.panel?.dispose();
    for (const d of this.disposables.splice(0)) d.dispose();
  }
}

/** Axolotl resolves a dataset path from where it runs; here, the config's folder, then the workspace. */
function resolveDatasetPath(path: string, configPath: string | undefined): string | undefined {
  const expanded = path.startsWith("~/") ? join(process.env.HOME ?? "", path.slice(2)) : path;
  const candidates = isAbsolute(expanded) ? [expanded] : [configPath ? join(dirname(configPath), expanded) : undefined, workspacePath(expanded)];
  return candidates.find((p): p is string => p !== undefined && existsSync(p) && statSync(p).isFile());
}

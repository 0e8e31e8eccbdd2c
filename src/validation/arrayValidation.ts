import * as vscode from "vscode";
import { textLooksLikeJsonArray } from "../core/jsonArray/arrayDetection";
import type { Diagnostic } from "../core/lint/diagnostic";
import { mostSevereFirst } from "../core/lint/mostSevereFirst";
import type { Settings, ValidationSettings } from "../settings/settings";
import { optionsFor } from "./documentOptions";
import { diagnosticSource, toRange, toVscodeDiagnostic, toWorkspaceEdit } from "./toVscode";
import { isDatasetInfo, maxPublished } from "./validationController";
import type { ValidationWorker } from "./validationWorkerClient";

const debounceMs = 250;

interface Validated {
  version: number;
  /** Undefined: the document holds no array of dataset rows. */
  findings?: Diagnostic[];
}

/**
 * Validates JSON files that hold an array of rows (Alpaca's `alpaca_data.json`, LLaMA-Factory's
 * `data/*.json`) with the JSONL rules, each element a row. Such files are revalidated whole after
 * a pause in typing, in the validation worker thread; a JSON array whose rows match no dataset
 * format (a settings file, a fixture) is left alone.
 */
export class ArrayValidationController implements vscode.Disposable, vscode.CodeActionProvider {
  static readonly kinds = [vscode.CodeActionKind.QuickFix];
  private readonly collection = vscode.languages.createDiagnosticCollection("instruct-studio-json-arrays");
  private readonly results = new Map<string, Validated>();
  private readonly timers = new Map<string, NodeJS.Timeout>();
  private readonly running = new Map<string, { cancelled: boolean }>();
  private readonly updated = new vscode.EventEmitter<vscode.Uri>();
  private readonly subscriptions: vscode.Disposable[] = [];
  private settings: ValidationSettings;
  /** Fires after a document's diagnostics are published (also when it holds no dataset). */
  readonly onDidUpdate = this.updated.event;

  constructor(
    private readonly log: vscode.LogOutputChannel,
    source: Settings,
    private readonly worker: ValidationWorker,
  ) {
    this.settings = source.current.validation;
    this.subscriptions.push(
      vscode.workspace.onDidOpenTextDocument((d) => this.schedule(d, 0)),
      vscode.workspace.onDidCloseTextDocument((d) => this.forget(d.uri)),
      vscode.workspace.onDidSaveTextDocument((d) => isDatasetInfo(d) && vscode.workspace.textDocuments.forEach((other) => this.schedule(other, 0))),
      vscode.workspace.onDidChangeTextDocument((e) => e.contentChanges.length > 0 && this.schedule(e.document, debounceMs)),
      source.onDidChange((snapshot) => {
        this.settings = snapshot.validation;
        vscode.workspace.textDocuments.forEach((d) => this.schedule(d, 0));
      }),
      vscode.languages.registerCodeActionsProvider({ language: "json" }, this, { providedCodeActionKinds: ArrayValidationController.kinds }),
    );
    vscode.workspace.textDocuments.forEach((d) => this.schedule(d, 0));
  }

  /** What validating the document's current version found; undefined until it is validated. */
  resultOf(document: vscode.TextDocument): { findings?: Diagnostic[] } | undefined {
    const result = this.results.get(document.uri.toString());
    return result?.version === document.version ? result : undefined;
  }

  private schedule(document: vscode.TextDocument, delay: number): void {
    if (document.languageId !== "json") return;
    const key = document.uri.toString();
    clearTimeout(this.timers.get(key));
    const run = this.running.get(key);
    if (run) run.cancelled = true;
    this.timers.set(
      key,
      setTimeout(() => {
        this.timers.delete(key);
        void this.validate(document);
      }, delay),
    );
  }

  private async validate(document: vscode.TextDocument): Promise<void> {
    const key = document.uri.toString();
    const text = document.getText();
    if (!textLooksLikeJsonArray(document.fileName, text)) return this.clear(document);
    const run = { cancelled: false };
    this.running.set(key, run);
    const version = document.version;
    const started = performance.now();
    let findings: Diagnostic[] | undefined;
    try {
      // VS Code's JSON language reports syntax errors in .json files itself; saying them twice is noise.
      const skipPlainSyntax = vscode.workspace.getConfiguration("json", document.uri).get<boolean>("validate.enable", true);
      const result = await this.worker.query({ type: "array", text, options: optionsFor(document, this.settings, this.log), skipPlainSyntax });
      if (!result) return;
      findings = result.findings;
    } catch (error) {
      this.log.error(`could not validate the JSON array in ${document.uri.fsPath}`, error);
      findings = [
        {
          line: 0,
          column: 0,
          endLine: 0,
          endColumn: 1,
          severity: "error",
          rule: "internal",
          message: `Instruct Studio could not validate this file: ${error instanceof Error ? error.message : String(error)}. Edit it to retry; the log has details.`,
        },
      ];
    } finally {
      if (this.running.get(key) === run) this.running.delete(key);
    }
    if (run.cancelled || document.isClosed) return;
    if (!findings) return this.clear(document, version);
    this.results.set(key, { version, findings });
    this.collection.set(
      document.uri,
      mostSevereFirst(findings, maxPublished).map((d) => toVscodeDiagnostic(document.uri, d)),
    );
    this.log.info(`validated the JSON array ${document.uri.fsPath} (${findings.length} findings) in ${(performance.now() - started).toFixed(0)} ms`);
    this.updated.fire(document.uri);
  }

  provideCodeActions(document: vscode.TextDocument, range: vscode.Range, context: vscode.CodeActionContext): vscode.CodeAction[] {
    // Fixes are offered only from findings of the text now in the editor: older ones would land on the wrong characters.
    const findings = this.resultOf(document)?.findings;
    if (!findings) return [];
    return findings
      .filter((d) => d.fix && toRange(d).intersection(range))
      .map((d) => {
        const action = new vscode.CodeAction(d.fix!.title, vscode.CodeActionKind.QuickFix);
        action.edit = toWorkspaceEdit(document.uri, [d]);
        action.diagnostics = context.diagnostics.filter((v) => v.source === diagnosticSource && v.code === d.rule && v.range.isEqual(toRange(d)));
        action.isPreferred = true;
        return action;
      });
  }

  private clear(document: vscode.TextDocument, version = document.version): void {
    this.results.set(document.uri.toString(), { version });
    this.collection.delete(document.uri);
    this.updated.fire(document.uri);
  }

  private forget(uri: vscode.Uri): void {
    const key = uri.toString();
    clearTimeout(this.timers.get(key));
    this.timers.delete(key);
    const run = this.running.get(key);
    if (run) run.cancelled = true;
    this.results.delete(key);
    this.collection.delete(uri);
  }

  dispose(): void {
    for (const timer of this.timers.values()) clearTimeout(timer);
    for (const run of this.running.values()) run.cancelled = true;
    this.subscriptions.forEach((s) => s.dispose());
    this.updated.dispose();
    this.collection.dispose();
  }
}

import * as vscode from "vscode";
import { DocumentValidator } from "../core/validate/documentValidator";
import { isJsonl } from "../rowAtCursor";
import type { Settings, ValidationSettings } from "../settings";
import { toVscodeDiagnostic } from "./toVscode";

/** VS Code shows at most this many diagnostics per file; the status bar and report give the rest. */
export const maxPublished = 1000;
const publishDelayMs = 80;

/** Keeps a DocumentValidator per open JSONL document, fed by edits, and publishes its diagnostics. */
export class ValidationController implements vscode.Disposable {
  private readonly collection = vscode.languages.createDiagnosticCollection("instruct-studio");
  private readonly validators = new Map<string, DocumentValidator>();
  /** Documents whose first validation is still running, with the edits that came meanwhile. */
  private readonly building = new Map<string, vscode.TextDocumentContentChangeEvent[]>();
  private readonly timers = new Map<string, NodeJS.Timeout>();
  private readonly updated = new vscode.EventEmitter<vscode.Uri>();
  private readonly subscriptions: vscode.Disposable[] = [];
  settings: ValidationSettings;
  /** Fires after a document's diagnostics are published. */
  readonly onDidUpdate = this.updated.event;

  constructor(
    private readonly log: vscode.LogOutputChannel,
    source: Settings,
  ) {
    this.settings = source.current.validation;
    this.subscriptions.push(
      vscode.workspace.onDidOpenTextDocument((d) => this.track(d)),
      vscode.workspace.onDidCloseTextDocument((d) => this.untrack(d.uri)),
      vscode.workspace.onDidChangeTextDocument((e) => this.change(e)),
      source.onDidChange((snapshot) => this.reload(snapshot.validation)),
    );
    vscode.workspace.textDocuments.forEach((d) => this.track(d));
  }

  validatorFor(document: vscode.TextDocument): DocumentValidator | undefined {
    return this.validators.get(document.uri.toString());
  }

  /** Publishes pending diagnostics of a document now (commands call this); undefined while it is first validated. */
  flush(document: vscode.TextDocument): DocumentValidator | undefined {
    const key = document.uri.toString();
    if (this.building.has(key)) return undefined;
    if (this.timers.has(key)) {
      clearTimeout(this.timers.get(key));
      this.timers.delete(key);
      this.publish(document.uri);
    }
    return this.validators.get(key);
  }

  private reload(settings: ValidationSettings): void {
    this.settings = settings;
    for (const [key, validator] of this.validators) {
      if (this.building.has(key)) continue;
      validator.setOptions(this.settings.options);
      this.publish(vscode.Uri.parse(key));
    }
  }

  private track(document: vscode.TextDocument): void {
    const key = document.uri.toString();
    if (!isJsonl(document) || this.validators.has(key)) return;
    const started = performance.now();
    const validator = new DocumentValidator(this.settings.options);
    this.validators.set(key, validator);
    this.building.set(key, []);
    void validator.setTextInSlices(document.getText()).then(() => {
      const queued = this.building.get(key) ?? [];
      this.building.delete(key);
      if (this.validators.get(key) !== validator) return;
      for (const change of queued) this.applyChange(validator, change);
      this.log.info(`validated ${document.uri.fsPath} (${document.lineCount} lines) in ${(performance.now() - started).toFixed(0)} ms`);
      this.publish(document.uri);
    });
  }

  /** Resolves once the document's first validation is done. */
  async ready(document: vscode.TextDocument): Promise<DocumentValidator | undefined> {
    while (this.building.has(document.uri.toString())) await new Promise((r) => setTimeout(r, 10));
    return this.validators.get(document.uri.toString());
  }

  private applyChange(validator: DocumentValidator, change: vscode.TextDocumentContentChangeEvent): void {
    const { start, end } = change.range;
    validator.applyEdit(start.line, start.character, end.line, end.character, change.text);
  }

  private untrack(uri: vscode.Uri): void {
    const key = uri.toString();
    clearTimeout(this.timers.get(key));
    this.timers.delete(key);
    this.validators.delete(key);
    this.building.delete(key);
    this.collection.delete(uri);
  }

  private change(event: vscode.TextDocumentChangeEvent): void {
    const key = event.document.uri.toString();
    const validator = this.validators.get(key);
    if (!validator) {
      // A document whose language just became JSON Lines.
      if (isJsonl(event.document)) this.track(event.document);
      return;
    }
    if (event.contentChanges.length === 0) return;
    const queue = this.building.get(key);
    if (queue) {
      queue.push(...event.contentChanges);
      return;
    }
    for (const change of event.contentChanges) this.applyChange(validator, change);
    clearTimeout(this.timers.get(key));
    this.timers.set(
      key,
      setTimeout(() => {
        this.timers.delete(key);
        this.publish(event.document.uri);
      }, publishDelayMs),
    );
  }

  private publish(uri: vscode.Uri): void {
    const validator = this.validators.get(uri.toString());
    if (!validator) return;
    this.collection.set(uri, validator.diagnostics(maxPublished).map((d) => toVscodeDiagnostic(uri, d)));
    this.updated.fire(uri);
  }

  dispose(): void {
    for (const timer of this.timers.values()) clearTimeout(timer);
    this.subscriptions.forEach((s) => s.dispose());
    this.updated.dispose();
    this.collection.dispose();
  }
}

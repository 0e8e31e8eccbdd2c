import { createReadStream } from "node:fs";
import * as vscode from "vscode";
import { scanLineBreaks } from "../core/jsonl/lineReader";
import type { Diagnostic } from "../core/lint/diagnostic";
import { DocumentValidator } from "../core/validate/documentValidator";
import { loneCrFinding, utf16Finding } from "../core/validate/lineChecks";
import { isJsonl } from "../rowAtCursor";
import type { Settings, ValidationSettings } from "../settings";
import { optionsFor } from "./documentOptions";
import { toVscodeDiagnostic } from "./toVscode";

export const isDatasetInfo = (document: vscode.TextDocument) => /(?:^|[\\/])dataset_info\.json$/.test(document.fileName);

/** VS Code shows at most this many diagnostics per file; the status bar and report give the rest. */
export const maxPublished = 1000;
const publishDelayMs = 80;
/** Edits held while a document is first validated; past this the validation restarts from the document's text. */
const maxQueuedChanges = 10_000;

/** Keeps a DocumentValidator per open JSONL document, fed by edits, and publishes its diagnostics. */
export class ValidationController implements vscode.Disposable {
  private readonly collection = vscode.languages.createDiagnosticCollection("instruct-studio");
  private readonly validators = new Map<string, DocumentValidator>();
  /** Documents whose first validation is still running, with the edits that came meanwhile ("restart": too many). */
  private readonly building = new Map<string, vscode.TextDocumentContentChangeEvent[] | "restart">();
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
      vscode.workspace.onDidSaveTextDocument((d) => this.validators.has(d.uri.toString()) && void this.scanDisk(d)),
      // A saved dataset_info.json may change how any open dataset is read.
      vscode.workspace.onDidSaveTextDocument((d) => isDatasetInfo(d) && this.reload(this.settings)),
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

  /** New settings re-validate every open dataset in slices, as opening one does: a large file never blocks the host. */
  private reload(settings: ValidationSettings): void {
    this.settings = settings;
    for (const key of [...this.validators.keys()]) {
      const document = vscode.workspace.textDocuments.find((d) => d.uri.toString() === key);
      if (document) this.build(document);
      else this.untrack(vscode.Uri.parse(key));
    }
  }

  private track(document: vscode.TextDocument): void {
    if (!isJsonl(document) || this.validators.has(document.uri.toString())) return;
    this.build(document);
  }

  /** Validates the document's whole text, in slices; edits that come meanwhile are queued. */
  private build(document: vscode.TextDocument): void {
    const key = document.uri.toString();
    const started = performance.now();
    const validator = new DocumentValidator(optionsFor(document, this.settings, this.log));
    this.validators.set(key, validator);
    this.building.set(key, []);
    const version = document.version;
    validator
      .setTextInSlices(document.getText())
      .then(() => {
        if (this.validators.get(key) !== validator) return;
        const queued = this.building.get(key) ?? [];
        this.building.delete(key);
        if (queued === "restart") return this.build(document);
        this.log.info(`validated ${document.uri.fsPath} (${document.lineCount} lines) in ${(performance.now() - started).toFixed(0)} ms`);
        if (queued.length > 0 && !this.applyChanges(document, validator, queued, false)) return;
        void this.scanDisk(document);
        this.publish(document.uri);
      })
      .catch((error: unknown) => {
        // Never leave a document "building": say so on the file, and let the next edit try again.
        if (this.validators.get(key) !== validator) return;
        this.building.delete(key);
        this.validators.delete(key);
        const message = `Instruct Studio could not validate this file (version ${version}): ${error instanceof Error ? error.message : String(error)}. Edit it to retry; the log has details.`;
        this.log.error(message, error);
        this.collection.set(document.uri, [new vscode.Diagnostic(new vscode.Range(0, 0, 0, 1), message, vscode.DiagnosticSeverity.Error)]);
      });
  }

  /**
   * Applies edits to the validator's copy, then checks the lines they touched against the live
   * document. On any failure or difference the copy is rebuilt from the document: a drifted
   * copy would publish wrong lines and compute quick fixes that corrupt rows. False when rebuilt.
   * Edits queued over several events are checked by line count only (their ranges are in
   * older versions of the document); quick fixes check their own lines before they are offered.
   */
  private applyChanges(document: vscode.TextDocument, validator: DocumentValidator, changes: readonly vscode.TextDocumentContentChangeEvent[], oneEvent = true): boolean {
    let problem: string | undefined;
    try {
      for (const change of changes) this.applyChange(validator, change);
      if (validator.lineCount !== document.lineCount) problem = `${validator.lineCount} lines held, ${document.lineCount} in the document`;
      // VS Code sends an event's changes bottom to top, each applied after the previous: a change's
      // lines end up shifted by the line count changes of those after it (above it).
      let shift = 0;
      for (let i = changes.length - 1; i >= 0 && !problem && oneEvent; i--) {
        const { range, text } = changes[i];
        const added = text.split("\n").length - 1;
        const first = range.start.line + shift;
        for (let line = first; line <= Math.min(document.lineCount - 1, first + added) && !problem; line++) {
          if (validator.lineText(line) !== document.lineAt(line).text) problem = `line ${line + 1} differs from the document`;
        }
        shift += added - (range.end.line - range.start.line);
      }
    } catch (error) {
      problem = error instanceof Error ? error.message : String(error);
    }
    if (!problem) return true;
    this.log.warn(`validation of ${document.uri.fsPath} lost track of an edit (${problem}); validating the document again`);
    this.build(document);
    return false;
  }

  /**
   * Whether the validator holds the document's text on `lines`: fixes are offered only then. A
   * difference means the copy drifted; it is rebuilt.
   */
  matchesDocument(document: vscode.TextDocument, lines: Iterable<number>): boolean {
    const validator = this.validators.get(document.uri.toString());
    if (!validator) return false;
    for (const line of lines) {
      if (line < document.lineCount && validator.lineText(line) === document.lineAt(line).text) continue;
      this.log.warn(`the validator's copy of ${document.uri.fsPath} differs from the document at line ${line + 1}; no quick fix is offered from it, and the document is validated again`);
      this.build(document);
      return false;
    }
    return true;
  }

  /** The lines the fixes of `diagnostics` edit. */
  static fixLines(diagnostics: readonly Diagnostic[]): number[] {
    const lines: number[] = [];
    for (const d of diagnostics) {
      for (const edit of d.fix?.edits ?? []) {
        const last = edit.endColumn === 0 && edit.endLine > edit.line ? edit.endLine - 1 : edit.endLine;
        for (let line = edit.line; line <= last; line++) lines.push(line);
      }
    }
    return lines;
  }

  /** Findings only the bytes on disk show: UTF-16, lone CRs (VS Code turns them into its own line ending). */
  private async scanDisk(document: vscode.TextDocument): Promise<void> {
    if (document.uri.scheme !== "file") return;
    try {
      const scan = await scanLineBreaks(createReadStream(document.uri.fsPath, { highWaterMark: 1 << 20 }));
      const validator = this.validators.get(document.uri.toString());
      if (!validator) return;
      const findings = [...(scan.utf16 ? [utf16Finding(scan.utf16)] : []), ...(scan.firstLoneCrLine !== undefined ? [loneCrFinding(scan.firstLoneCrLine)] : [])];
      const before = validator.summary().counts;
      validator.setFileFindings(findings);
      if (JSON.stringify(before) !== JSON.stringify(validator.summary().counts)) this.publish(document.uri);
    } catch (error) {
      this.log.warn(`could not read ${document.uri.fsPath} from disk to check its encoding and line endings: ${(error as Error).message}`);
    }
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
      if (queue !== "restart") queue.push(...event.contentChanges);
      if (queue !== "restart" && queue.length > maxQueuedChanges) this.building.set(key, "restart");
      return;
    }
    if (!this.applyChanges(event.document, validator, event.contentChanges)) return;
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
    const started = performance.now();
    this.collection.set(uri, validator.diagnostics(maxPublished).map((d) => toVscodeDiagnostic(uri, d)));
    const ms = performance.now() - started;
    if (ms > 50) this.log.debug(`published diagnostics of ${uri.fsPath} in ${ms.toFixed(0)} ms`);
    this.updated.fire(uri);
  }

  dispose(): void {
    for (const timer of this.timers.values()) clearTimeout(timer);
    this.subscriptions.forEach((s) => s.dispose());
    this.updated.dispose();
    this.collection.dispose();
  }
}

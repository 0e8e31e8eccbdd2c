import { createReadStream } from "node:fs";
import * as vscode from "vscode";
import { scanLineBreaks } from "../core/jsonl/lineReader";
import type { Diagnostic } from "../core/lint/diagnostic";
import type { Summary } from "../core/validate/documentValidator";
import { loneCrFinding, utf16Finding } from "../core/validate/lineChecks";
import type { EditChange, LinesResult, WorkerReply } from "../protocol/documentValidation";
import { isJsonl } from "../editor/rowAtCursor";
import type { Settings, ValidationSettings } from "../settings/settings";
import { optionsFor } from "./documentOptions";
import { toVscodeDiagnostic } from "./toVscode";
import { ValidationWorker } from "./validationWorkerClient";

export const isDatasetInfo = (document: vscode.TextDocument) => /(?:^|[\\/])dataset_info\.json$/.test(document.fileName);

/** VS Code shows at most this many diagnostics per file; the status bar and report give the rest. */
export const maxPublished = 1000;
const publishDelayMs = 80;
const optionsDelayMs = 100;

interface Tracked {
  document: vscode.TextDocument;
  /** The generation of the worker's copy: bumped whenever the document is opened there again. */
  generation: number;
  /** The validation options the worker has, as JSON: new settings that leave them alone cost nothing. */
  optionsKey: string;
  /** The summary published last. */
  summary?: Summary;
  /** Why validating the whole document failed; the next edit tries again. */
  failed?: string;
}

/**
 * Keeps every open JSONL document validated by the document validation worker (a thread of its
 * own, see protocol/documentValidation.ts): the host forwards edits, with the text of the lines
 * they touched so the worker's copy is checked against the document, and publishes diagnostics.
 * Opening a 300,000-row file or a pathological row costs the host nothing but the message.
 */
export class ValidationController implements vscode.Disposable {
  private readonly collection = vscode.languages.createDiagnosticCollection("instruct-studio");
  private readonly tracked = new Map<string, Tracked>();
  private readonly timers = new Map<string, NodeJS.Timeout>();
  /** New options waiting to be sent, per document (settings often change several times in a row). */
  private readonly optionTimers = new Map<string, { timer: NodeJS.Timeout; send: () => void }>();
  private readonly updated = new vscode.EventEmitter<vscode.Uri>();
  private readonly subscriptions: vscode.Disposable[] = [];
  private generations = 0;
  readonly worker: ValidationWorker;
  settings: ValidationSettings;
  /** Fires after a document's diagnostics are published. */
  readonly onDidUpdate = this.updated.event;

  constructor(
    private readonly log: vscode.LogOutputChannel,
    source: Settings,
  ) {
    this.settings = source.current.validation;
    this.worker = new ValidationWorker(log);
    this.subscriptions.push(
      this.worker,
      this.worker.onNote((note) => this.noted(note)),
      this.worker.onRestart(() => this.reopenAll()),
      vscode.workspace.onDidOpenTextDocument((d) => this.track(d)),
      vscode.workspace.onDidCloseTextDocument((d) => this.untrack(d.uri)),
      vscode.workspace.onDidChangeTextDocument((e) => this.change(e)),
      vscode.workspace.onDidSaveTextDocument((d) => this.tracked.has(d.uri.toString()) && void this.scanDisk(d)),
      // A saved dataset_info.json may change how any open dataset is read.
      vscode.workspace.onDidSaveTextDocument((d) => isDatasetInfo(d) && this.reload(this.settings)),
      source.onDidChange((snapshot) => this.reload(snapshot.validation)),
    );
    vscode.workspace.textDocuments.forEach((d) => this.track(d));
  }

  /** The summary published last (undefined until the first validation is published). */
  summaryOf(document: vscode.TextDocument): Summary | undefined {
    return this.tracked.get(document.uri.toString())?.summary;
  }

  /** Publishes the document's diagnostics now, once every edit sent so far is validated; its summary. */
  async flush(document: vscode.TextDocument): Promise<Summary | undefined> {
    const key = document.uri.toString();
    clearTimeout(this.timers.get(key));
    this.timers.delete(key);
    // Options waiting to be sent go first, so the answer reflects the settings now in force.
    const pending = this.optionTimers.get(key);
    if (pending) {
      clearTimeout(pending.timer);
      pending.send();
    }
    // A drift or a restarted worker reopens the document meanwhile; asking again waits for that.
    for (let attempt = 0; attempt < 3; attempt++) {
      const tracked = this.tracked.get(key);
      if (!tracked || tracked.failed) return undefined;
      const published = await this.worker.query({ type: "published", key, limit: maxPublished }).catch(() => undefined);
      if (this.tracked.get(key) !== tracked) return undefined;
      if (!published) continue;
      tracked.summary = published.summary;
      this.collection.set(
        document.uri,
        published.diagnostics.map((d) => toVscodeDiagnostic(document.uri, d)),
      );
      this.updated.fire(document.uri);
      return published.summary;
    }
    return undefined;
  }

  /** Every diagnostic of the document and its summary (the report). */
  async all(document: vscode.TextDocument): Promise<{ diagnostics: Diagnostic[]; summary: Summary } | undefined> {
    if (!(await this.flush(document))) return undefined;
    return this.worker.query({ type: "all", key: document.uri.toString() }).catch(() => undefined);
  }

  /**
   * Diagnostics of `lines` with what their fixes need; undefined when the worker's copy of the
   * lines those fixes edit differs from the document (then no fix may be offered from it).
   */
  async linesOf(document: vscode.TextDocument, lines: number[]): Promise<LinesResult | undefined> {
    const version = document.version;
    const result = await this.worker.query({ type: "lines", key: document.uri.toString(), lines }).catch(() => undefined);
    return result && this.matchesDocument(document, version, result.lineTexts) ? result : undefined;
  }

  /** Every fixable diagnostic of `rule`, when the lines their fixes edit match the document. */
  async fixable(document: vscode.TextDocument, rule: string): Promise<Diagnostic[]> {
    const version = document.version;
    const result = await this.worker.query({ type: "fixable", key: document.uri.toString(), rule }).catch(() => undefined);
    return result && this.matchesDocument(document, version, result.lineTexts) ? result.diagnostics : [];
  }

  /**
   * Whether the worker held the document's text on these lines. A difference means its copy
   * drifted: it is rebuilt. Answers about an older version are only discarded.
   */
  private matchesDocument(document: vscode.TextDocument, version: number, lineTexts: Record<number, string | undefined>): boolean {
    if (document.version !== version) return false;
    for (const [lineKey, text] of Object.entries(lineTexts)) {
      const line = Number(lineKey);
      if (line < document.lineCount && text === document.lineAt(line).text) continue;
      this.log.warn(
        `the validator's copy of ${document.uri.fsPath} differs from the document at line ${line + 1}; no quick fix is offered from it, and the document is validated again`,
      );
      this.open(document);
      return false;
    }
    return true;
  }

  /** The worker's copy of one line (tests). */
  lineText(document: vscode.TextDocument, line: number): Promise<string | undefined> {
    return this.worker.query({ type: "lineText", key: document.uri.toString(), line });
  }

  /** Makes the worker's copy lose part of a line, as a throwing edit once did (tests). */
  loseEdit(document: vscode.TextDocument, line: number, start: number, end: number): Promise<boolean | undefined> {
    return this.worker.query({ type: "loseEdit", key: document.uri.toString(), line, start, end });
  }

  /**
   * New settings re-validate the open datasets whose validation options they change (most
   * settings are the preview's or the model's, and change none): re-checking a 100,000-row file
   * for each of them would keep the worker from every other file.
   */
  private reload(settings: ValidationSettings): void {
    this.settings = settings;
    this.worker.allowRestart();
    for (const [key, tracked] of [...this.tracked]) {
      if (tracked.document.isClosed) this.untrack(vscode.Uri.parse(key));
      else if (tracked.failed) this.open(tracked.document);
      else {
        const options = optionsFor(tracked.document, settings, this.log);
        const optionsKey = JSON.stringify(options);
        if (optionsKey === tracked.optionsKey) continue;
        tracked.optionsKey = optionsKey;
        clearTimeout(this.optionTimers.get(key)?.timer);
        const send = () => {
          this.optionTimers.delete(key);
          if (this.tracked.get(key) === tracked) this.worker.notify({ type: "options", key, generation: tracked.generation, options });
        };
        const timer = setTimeout(() => {
          send();
          void this.flush(tracked.document);
        }, optionsDelayMs);
        this.optionTimers.set(key, { timer, send });
      }
    }
  }

  private track(document: vscode.TextDocument): void {
    if (!isJsonl(document) || this.tracked.has(document.uri.toString())) return;
    this.open(document);
  }

  /** Sends the document's whole text to the worker, which validates it before anything sent later. */
  private open(document: vscode.TextDocument): void {
    const key = document.uri.toString();
    const options = optionsFor(document, this.settings, this.log);
    const tracked: Tracked = { document, generation: ++this.generations, optionsKey: JSON.stringify(options), summary: this.tracked.get(key)?.summary };
    this.tracked.set(key, tracked);
    this.worker.notify({ type: "open", key, generation: tracked.generation, text: document.getText(), options });
    if (this.worker.stoppedBecause) return this.fail(tracked, this.worker.stoppedBecause);
    this.schedulePublish(document, 0);
  }

  private reopenAll(): void {
    for (const tracked of [...this.tracked.values()]) if (!tracked.document.isClosed) this.open(tracked.document);
  }

  private noted(note: Exclude<WorkerReply, { type: "reply" }>): void {
    const tracked = this.tracked.get(note.key);
    if (!tracked || tracked.generation !== note.generation) return;
    const { document } = tracked;
    if (note.type === "opened") {
      this.log.info(`validated ${document.uri.fsPath} (${note.lines} lines) in ${note.ms.toFixed(0)} ms in the validation worker`);
      void this.scanDisk(document);
    } else if (note.type === "drift") {
      this.log.warn(`validation of ${document.uri.fsPath} lost track of an edit (${note.problem}); validating the document again`);
      this.open(document);
    } else this.fail(tracked, note.message);
  }

  /** Says on the file that it could not be validated; the next edit tries again. */
  private fail(tracked: Tracked, reason: string): void {
    tracked.failed = reason;
    const message = `Instruct Studio could not validate this file (version ${tracked.document.version}): ${reason}. Edit it to retry; the log has details.`;
    this.log.error(message);
    this.collection.set(tracked.document.uri, [new vscode.Diagnostic(new vscode.Range(0, 0, 0, 1), message, vscode.DiagnosticSeverity.Error)]);
    this.updated.fire(tracked.document.uri);
  }

  /** Findings only the bytes on disk show: UTF-16, lone CRs (VS Code turns them into its own line ending). */
  private async scanDisk(document: vscode.TextDocument): Promise<void> {
    if (document.uri.scheme !== "file") return;
    try {
      const scan = await scanLineBreaks(createReadStream(document.uri.fsPath, { highWaterMark: 1 << 20 }));
      const tracked = this.tracked.get(document.uri.toString());
      if (!tracked || tracked.failed) return;
      const findings = [
        ...(scan.utf16 ? [utf16Finding(scan.utf16)] : []),
        ...(scan.firstLoneCrLine !== undefined ? [loneCrFinding(scan.firstLoneCrLine)] : []),
      ];
      this.worker.notify({ type: "fileFindings", key: document.uri.toString(), generation: tracked.generation, findings });
      if (findings.length > 0 || tracked.summary) this.schedulePublish(document, 0);
    } catch (error) {
      this.log.warn(`could not read ${document.uri.fsPath} from disk to check its encoding and line endings: ${(error as Error).message}`);
    }
  }

  private untrack(uri: vscode.Uri): void {
    const key = uri.toString();
    clearTimeout(this.timers.get(key));
    this.timers.delete(key);
    clearTimeout(this.optionTimers.get(key)?.timer);
    this.optionTimers.delete(key);
    if (this.tracked.delete(key)) this.worker.notify({ type: "close", key });
    this.collection.delete(uri);
  }

  private change(event: vscode.TextDocumentChangeEvent): void {
    const { document, contentChanges } = event;
    const tracked = this.tracked.get(document.uri.toString());
    if (!tracked) {
      // A document whose language just became JSON Lines.
      if (isJsonl(document)) this.track(document);
      return;
    }
    if (contentChanges.length === 0) return;
    if (tracked.failed) return this.open(document);
    const changes: EditChange[] = contentChanges.map(({ range, text }) => ({
      startLine: range.start.line,
      startColumn: range.start.character,
      endLine: range.end.line,
      endColumn: range.end.character,
      text,
    }));
    this.worker.notify({
      type: "edit",
      key: document.uri.toString(),
      generation: tracked.generation,
      changes,
      lineCount: document.lineCount,
      expected: touchedLines(document, contentChanges),
    });
    this.schedulePublish(document, publishDelayMs);
  }

  private schedulePublish(document: vscode.TextDocument, delay: number): void {
    const key = document.uri.toString();
    clearTimeout(this.timers.get(key));
    this.timers.set(
      key,
      setTimeout(() => {
        this.timers.delete(key);
        void this.flush(document);
      }, delay),
    );
  }

  dispose(): void {
    for (const timer of [...this.timers.values(), ...[...this.optionTimers.values()].map((o) => o.timer)]) clearTimeout(timer);
    this.subscriptions.forEach((s) => s.dispose());
    this.updated.dispose();
    this.collection.dispose();
  }
}

/**
 * The lines one change event touched, with the document's text of them: the worker checks its
 * copy against these. VS Code sends an event's changes bottom to top, each applied after the
 * previous, so a change's lines end up shifted by the line count changes of those above it.
 */
function touchedLines(document: vscode.TextDocument, changes: readonly vscode.TextDocumentContentChangeEvent[]): { line: number; text: string }[] {
  const expected: { line: number; text: string }[] = [];
  let shift = 0;
  for (let i = changes.length - 1; i >= 0; i--) {
    const { range, text } = changes[i];
    const added = text.split("\n").length - 1;
    const first = range.start.line + shift;
    for (let line = first; line <= Math.min(document.lineCount - 1, first + added); line++) expected.push({ line, text: document.lineAt(line).text });
    shift += added - (range.end.line - range.start.line);
  }
  return expected;
}

import * as vscode from "vscode";
import { jsonFileHoldsJsonLines } from "../core/jsonArray/arrayDetection";
import type { Settings } from "../settings/settings";

/** Lines read to decide: the first two rows, past a few blank lines. */
const probedLines = 32;

/**
 * Opens a `.json` file that holds JSON Lines (what `datasets`' `to_json` writes) in the JSON Lines
 * language: lint reads it row by row, while VS Code's JSON language would mark line 2 on as
 * errors and hide every finding the CLI gives. A file the user puts back to JSON stays JSON.
 */
export class JsonLinesInJsonFiles implements vscode.Disposable {
  /** Documents switched here, by URI: the user may put one back. */
  private readonly switched = new Set<string>();
  /** Documents the user put back to JSON: never switched again in this session. */
  private readonly keptAsJson = new Set<string>();
  /** A switched document closed in this turn of the event loop: a language change, when it opens again at once. */
  private readonly closingNow = new Set<string>();
  private readonly subscriptions: vscode.Disposable[];

  constructor(
    private readonly settings: Settings,
    private readonly log: vscode.LogOutputChannel,
  ) {
    this.subscriptions = [
      vscode.workspace.onDidOpenTextDocument((document) => this.opened(document)),
      vscode.workspace.onDidCloseTextDocument((document) => this.closed(document)),
    ];
    vscode.workspace.textDocuments.forEach((document) => this.opened(document));
  }

  private closed(document: vscode.TextDocument): void {
    const key = document.uri.toString();
    if (document.languageId !== "jsonl" || !this.switched.has(key)) return;
    this.closingNow.add(key);
    setImmediate(() => this.closingNow.delete(key));
  }

  private opened(document: vscode.TextDocument): void {
    const key = document.uri.toString();
    if (document.languageId !== "json") return;
    // VS Code changes a document's language by closing and opening it in one go.
    if (this.closingNow.delete(key)) {
      this.keptAsJson.add(key);
      return;
    }
    if (this.keptAsJson.has(key) || !this.settings.current.editor.openJsonLinesInJsonFiles) return;
    // Its first lines decide: a large file's whole text is not copied for this.
    const head = document.getText(new vscode.Range(0, 0, Math.min(document.lineCount, probedLines), 0));
    if (!jsonFileHoldsJsonLines(document.fileName, head)) return;
    this.switched.add(key);
    void vscode.languages.setTextDocumentLanguage(document, "jsonl").then(
      () => this.log.info(`${vscode.workspace.asRelativePath(document.uri)} holds JSON Lines: opened as JSON Lines, as lint and trainers read it`),
      (error: unknown) => this.log.warn(`Could not open ${document.fileName} as JSON Lines: ${error instanceof Error ? error.message : String(error)}`),
    );
  }

  dispose(): void {
    for (const s of this.subscriptions) s.dispose();
  }
}

import * as vscode from "vscode";
import type { Settings } from "../settings/settings";
import type { ModelManager } from "./modelManager";

/** Model actions above the row under the cursor (one row only: a lens per row would crowd big files). */
export class RowActionsLens implements vscode.CodeLensProvider, vscode.Disposable {
  private readonly changed = new vscode.EventEmitter<void>();
  readonly onDidChangeCodeLenses = this.changed.event;
  private readonly subscription: vscode.Disposable;

  constructor(
    private readonly models: ModelManager,
    private readonly settings: Settings,
  ) {
    this.subscription = vscode.window.onDidChangeTextEditorSelection((e) => e.textEditor.document.languageId === "jsonl" && this.changed.fire());
  }

  provideCodeLenses(document: vscode.TextDocument): vscode.CodeLens[] {
    const editor = vscode.window.activeTextEditor;
    if (!editor || editor.document !== document || this.models.unavailable()) return [];
    if (!this.settings.current.editor.codeLens) return [];
    const line = editor.selection.active.line;
    if (line >= document.lineCount || document.lineAt(line).isEmptyOrWhitespace) return [];
    const range = new vscode.Range(line, 0, line, 0);
    const args = [{ uri: document.uri.toString(), line }];
    return [
      new vscode.CodeLens(range, { title: "$(comment-discussion) Critique", command: "instructStudio.critiqueEntry", arguments: args }),
      new vscode.CodeLens(range, { title: "$(edit) Rewrite response", command: "instructStudio.rewriteResponse", arguments: args }),
      new vscode.CodeLens(range, { title: "$(debug-continue) Continue", command: "instructStudio.continueTurn", arguments: args }),
    ];
  }

  dispose(): void {
    this.subscription.dispose();
    this.changed.dispose();
  }
}

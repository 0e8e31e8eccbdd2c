import * as vscode from "vscode";
import { isJsonl } from "./rowAtCursor";
import type { Settings } from "../settings/settings";

const debounceMs = 120;

/** Calls `onRowChange` shortly after the cursor settles on another row of a JSONL editor. */
export class CursorFollower implements vscode.Disposable {
  private timer: NodeJS.Timeout | undefined;
  private lastKey = "";
  private readonly subscriptions: vscode.Disposable[];

  constructor(
    private readonly settings: Settings,
    private readonly onRowChange: () => void,
  ) {
    this.subscriptions = [
      vscode.window.onDidChangeTextEditorSelection((e) => this.schedule(e.textEditor)),
      vscode.window.onDidChangeActiveTextEditor((editor) => this.schedule(editor)),
      vscode.workspace.onDidChangeTextDocument((e) => {
        if (e.document === vscode.window.activeTextEditor?.document) this.schedule(vscode.window.activeTextEditor, true);
      }),
    ];
  }

  private schedule(editor: vscode.TextEditor | undefined, force = false): void {
    if (!this.settings.current.editor.followCursor) return;
    if (editor && !isJsonl(editor.document)) return;
    const key = editor ? `${editor.document.uri}:${editor.selection.active.line}` : "";
    if (!force && key === this.lastKey) return;
    this.lastKey = key;
    clearTimeout(this.timer);
    this.timer = setTimeout(this.onRowChange, debounceMs);
  }

  dispose(): void {
    clearTimeout(this.timer);
    for (const s of this.subscriptions) s.dispose();
  }
}

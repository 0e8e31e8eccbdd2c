import * as vscode from "vscode";
import { findLongLines } from "../core/jsonl/longLines";
import { isJsonl } from "./rowAtCursor";

const dismissedKey = "longLineNotice.dismissed";
const settingKey = "editor.maxTokenizationLineLength";
/** Documents this large are scanned no further; VS Code itself limits them (large-file mode). */
const maxScannedLength = 64 * 1024 * 1024;

/**
 * VS Code leaves lines over `editor.maxTokenizationLineLength` uncoloured. Our default for
 * `[jsonl]` is raised (package.json) to cover long reasoning rows; when a file still has longer
 * rows, say so once and offer to raise the limit, instead of leaving rows silently grey.
 */
export class LongLineNotice implements vscode.Disposable {
  private readonly seen = new Set<string>();
  private readonly subscription: vscode.Disposable;

  constructor(private readonly state: vscode.Memento) {
    this.subscription = vscode.window.onDidChangeVisibleTextEditors((editors) => editors.forEach((e) => this.check(e.document)));
    vscode.window.visibleTextEditors.forEach((e) => this.check(e.document));
  }

  private check(document: vscode.TextDocument): void {
    const key = document.uri.toString();
    if (!isJsonl(document) || this.seen.has(key) || this.state.get(dismissedKey)) return;
    this.seen.add(key);
    setTimeout(() => void this.scan(document), 0);
  }

  private async scan(document: vscode.TextDocument): Promise<void> {
    const config = vscode.workspace.getConfiguration("editor", document);
    const limit = config.get<number>("maxTokenizationLineLength", 20_000);
    const text = document.getText();
    if (text.length > maxScannedLength) return;
    const report = findLongLines(text, limit);
    if (report.count === 0) return;
    const raise = "Raise the limit for JSON Lines";
    const dismiss = "Don't show again";
    const choice = await vscode.window.showInformationMessage(
      `${report.count} row(s) of ${vscode.workspace.asRelativePath(document.uri)} are longer than ${limit.toLocaleString("en-US")} characters (the longest has ${report.longest.toLocaleString("en-US")}), so VS Code shows them without colours. Validation and the preview still cover them.`,
      raise,
      dismiss,
    );
    if (choice === raise) {
      const wanted = Math.ceil((report.longest + 1) / 10_000) * 10_000;
      await config.update(settingKey, wanted, vscode.ConfigurationTarget.Global, true);
    } else if (choice === dismiss) {
      await this.state.update(dismissedKey, true);
    }
  }

  dispose(): void {
    this.subscription.dispose();
  }
}

import * as vscode from "vscode";
import { formatLabels } from "../core/formats/detect";
import type { Summary } from "../core/validate/documentValidator";
import { isJsonl } from "../editor/rowAtCursor";
import type { ValidationController } from "./validationController";

/** Errors, warnings and the detected format of the active dataset; a click opens the full report. */
export class ValidationStatusBar implements vscode.Disposable {
  private readonly item = vscode.window.createStatusBarItem("instructStudio.validation", vscode.StatusBarAlignment.Left, 50);
  private readonly subscriptions: vscode.Disposable[];
  last: Summary | undefined;

  constructor(private readonly validation: ValidationController) {
    this.item.name = "Instruct Studio";
    this.item.command = "instructStudio.showReport";
    this.subscriptions = [
      validation.onDidUpdate((uri) => uri.toString() === vscode.window.activeTextEditor?.document.uri.toString() && this.update()),
      vscode.window.onDidChangeActiveTextEditor(() => this.update()),
    ];
    this.update();
  }

  update(): void {
    const document = vscode.window.activeTextEditor?.document;
    const summary = document && isJsonl(document) ? this.validation.summaryOf(document) : undefined;
    if (!summary) {
      this.item.hide();
      return;
    }
    this.last = summary;
    const { error, warning, info, hint } = summary.counts;
    const format = summary.format ? formatLabels[summary.format] : "not instruction data";
    this.item.text = `$(error) ${error} $(warning) ${warning} $(info) ${info + hint} · ${format}`;
    this.item.tooltip = `Instruct Studio: ${summary.rows.toLocaleString("en-US")} rows, ${format}. ${error} errors, ${warning} warnings, ${info} infos, ${hint} hints. Click for the full report (VS Code lists at most 1,000 problems per file).`;
    this.item.backgroundColor = error > 0 ? new vscode.ThemeColor("statusBarItem.errorBackground") : undefined;
    this.item.show();
  }

  dispose(): void {
    this.subscriptions.forEach((s) => s.dispose());
    this.item.dispose();
  }
}

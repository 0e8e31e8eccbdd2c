import * as vscode from "vscode";
import { checkWithTrainer } from "./trainerCheck/checkWithTrainer";
import type { InstructStudio } from "./context";
import type { RenderedReport, RowView } from "./protocol/webview";
import { isJsonl, rowAt } from "./editor/rowAtCursor";
import { cancelValidationsOnDisk, convertDataset, showReport, validateFileOnDisk } from "./validation/commands";
import type { ConvertTarget } from "./core/convert/convertRow";
import type { Summary } from "./core/validate/documentValidator";

export interface InternalStats {
  activationMs: number;
  extensionPath: string;
  previewRendered: RenderedReport | undefined;
  /** What the status bar shows for the active dataset. */
  validation: Summary | undefined;
  /** The process rendering templates for the preview, once started: never the extension host's. */
  previewWorkerPid: number | undefined;
  extensionHostPid: number;
  /** The thread validating open datasets, once started (worker threads have ids from 1; the host's is 0). */
  validationThreadId: number | undefined;
}

export function registerCommands(studio: InstructStudio): vscode.Disposable[] {
  return [
    vscode.commands.registerCommand("instructStudio.showPreview", async () => {
      await vscode.commands.executeCommand("instructStudio.preview.focus");
      studio.refreshPreview();
    }),
    vscode.commands.registerCommand("instructStudio.describeRow", (): RowView | undefined => {
      const editor = vscode.window.activeTextEditor;
      if (!editor || !isJsonl(editor.document)) {
        void vscode.window.showWarningMessage("Open a .jsonl dataset to describe its rows.");
        return undefined;
      }
      const row = rowAt(editor.document, editor.selection.active.line);
      const text = row
        ? `Line ${row.line + 1}: ${row.formatLabel}, ${row.parts.length} part(s), ${row.characters.toLocaleString("en-US")} characters` +
          (row.syntaxErrors.length ? `; ${row.syntaxErrors.length} syntax error(s)` : "")
        : `Line ${editor.selection.active.line + 1} is blank.`;
      void vscode.window.showInformationMessage(text);
      return row;
    }),
    vscode.commands.registerCommand("instructStudio.checkWithTrainer", () => checkWithTrainer(studio)),
    vscode.commands.registerCommand("instructStudio.showReport", () => showReport(studio.validation, studio.extension.extensionUri)),
    // From the explorer: the clicked file, or all selected ones (a dataset split over files).
    vscode.commands.registerCommand("instructStudio.showTrainingBudget", (uri?: vscode.Uri, selected?: vscode.Uri[]) =>
      studio.budget.show(selected?.length ? selected : uri ? [uri] : undefined),
    ),
    // The webview's Cancel button does the same.
    vscode.commands.registerCommand("instructStudio.internal.budgetCancel", () => studio.budget.cancel()),
    vscode.commands.registerCommand("instructStudio.internal.budgetExport", (plot: "tokens-per-row" | "optimizer-steps", format: "svg" | "png", path: string) =>
      studio.budget.exportTo(plot, format, path),
    ),
    vscode.commands.registerCommand("instructStudio.internal.budgetState", () => ({
      rendered: studio.budget.lastRendered,
      report: studio.budget.lastReport?.report,
      measuredRows: studio.budget.lastMeasuredRows,
      completedRuns: studio.budget.completedRuns,
      workerPid: studio.budgetPid,
      extensionHostPid: process.pid,
    })),
    vscode.commands.registerCommand("instructStudio.convert", (target?: ConvertTarget) => convertDataset(studio.validation, target)),
    vscode.commands.registerCommand("instructStudio.validateFileOnDisk", (uri?: vscode.Uri) =>
      validateFileOnDisk(studio.validation, studio.extension.extensionUri, uri),
    ),
    // Tests: what the Cancel button of each validation on disk does.
    vscode.commands.registerCommand("instructStudio.internal.cancelValidationsOnDisk", (afterLines?: number) => cancelValidationsOnDisk(afterLines)),
    vscode.commands.registerCommand("instructStudio.internal.probeModelRuntime", (gpu?: boolean) => studio.runtime.probe(gpu === true)),
    vscode.commands.registerCommand("instructStudio.internal.stats", (): InternalStats => ({
      activationMs: studio.activationMs,
      extensionPath: studio.extension.extensionPath,
      previewRendered: studio.preview.lastRendered,
      validation: studio.statusBar.last,
      previewWorkerPid: studio.trainingPid,
      extensionHostPid: process.pid,
      validationThreadId: studio.validation.worker.threadId,
    })),
    // Tests: end the validation worker as a crash would.
    vscode.commands.registerCommand("instructStudio.internal.killValidationWorker", () => studio.validation.worker.kill()),
    // Tests: make the validator's copy of a document lose an edit (what a throwing edit once did),
    // and read a line of that copy back.
    vscode.commands.registerCommand("instructStudio.internal.loseValidatorEdit", (uri: string, line: number, start: number, end: number) => {
      const document = vscode.workspace.textDocuments.find((d) => d.uri.toString() === uri);
      return document && studio.validation.loseEdit(document, line, start, end);
    }),
    // Tests: wait until a document's validation has run and its diagnostics are published.
    vscode.commands.registerCommand("instructStudio.internal.validated", async (uri: string) => {
      const document = vscode.workspace.textDocuments.find((d) => d.uri.toString() === uri);
      return document && studio.validation.flush(document);
    }),
    // Tests: what the JSON-array validator found in a document's current version (null: not validated yet).
    vscode.commands.registerCommand("instructStudio.internal.arrayFindings", (uri: string) => {
      const document = vscode.workspace.textDocuments.find((d) => d.uri.toString() === uri);
      const result = document && studio.arrays.resultOf(document);
      return result ? { isDataset: result.findings !== undefined, count: result.findings?.length ?? 0 } : null;
    }),
    vscode.commands.registerCommand("instructStudio.internal.validatorLine", (uri: string, line: number) => {
      const document = vscode.workspace.textDocuments.find((d) => d.uri.toString() === uri);
      return document && studio.validation.lineText(document, line);
    }),
  ];
}

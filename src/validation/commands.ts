import { existsSync, statSync } from "node:fs";
import { writeFile } from "node:fs/promises";
import { basename, dirname, extname, join } from "node:path";
import * as vscode from "vscode";
import { convertRow, ConvertTarget, convertTargets } from "../core/convert/convertRow";
import { formatLabels } from "../core/formats/detect";
import { formatReport } from "../core/report";
import { Worker } from "node:worker_threads";
import type { DiskValidationJob, DiskValidationMessage } from "../protocol/diskValidation";
import { isJsonl } from "../editor/rowAtCursor";
import { showReportPanel, ShownReport } from "../reports/reportPanel";
import type { ValidationController } from "./validationController";

const reportLimit = 20_000;

/** `instructStudio.showReport`: every problem of the active dataset, beyond VS Code's 1,000. */
export async function showReport(validation: ValidationController, extensionUri: vscode.Uri): Promise<ShownReport | undefined> {
  const document = vscode.window.activeTextEditor?.document;
  const found = document && isJsonl(document) ? await validation.all(document) : undefined;
  if (!document || !found) {
    void vscode.window.showWarningMessage("Open a .jsonl dataset to see its report.");
    return undefined;
  }
  const { diagnostics, summary } = found;
  const file = vscode.workspace.asRelativePath(document.uri);
  const markdown = formatReport({
    file,
    format: summary.format,
    rows: summary.rows,
    diagnostics: diagnostics.slice(0, reportLimit),
    total: diagnostics.length,
  });
  return showReportPanel(extensionUri, { title: `Report: ${basename(document.uri.fsPath)}`, markdown, dataset: document.uri });
}

export interface ConvertResult {
  output: string;
  converted: number;
  skipped: number;
}

/** `instructStudio.convert`: writes the active dataset in another format to a new file. */
export async function convertDataset(validation: ValidationController, target?: ConvertTarget): Promise<ConvertResult | undefined> {
  const document = vscode.window.activeTextEditor?.document;
  if (!document || !isJsonl(document)) {
    void vscode.window.showWarningMessage("Open a .jsonl dataset to convert it.");
    return undefined;
  }
  const chosen =
    target ??
    (
      await vscode.window.showQuickPick(
        convertTargets.map((t) => ({ label: formatLabels[t], target: t })),
        { title: "Convert to", placeHolder: "The converted rows go to a new file" },
      )
    )?.target;
  if (!chosen) return undefined;
  const { options } = validation.settings;
  const rows: string[] = [];
  const skipped: string[] = [];
  for (let line = 0; line < document.lineCount; line++) {
    const text = document.lineAt(line).text.replace(/^\uFEFF/, "");
    if (text.trim() === "") continue;
    let value: unknown;
    try {
      value = JSON.parse(text);
    } catch {
      skipped.push(`line ${line + 1}: not valid JSON`);
      continue;
    }
    const result = convertRow(value, chosen, options);
    if ("row" in result) rows.push(JSON.stringify(result.row));
    else skipped.push(`line ${line + 1}: ${result.skipped}`);
  }
  const source = document.uri.fsPath;
  const stem = basename(source, extname(source));
  let output = join(dirname(source), `${stem}.${chosen}.jsonl`);
  for (let n = 2; existsSync(output); n++) output = join(dirname(source), `${stem}.${chosen}-${n}.jsonl`);
  await writeFile(output, rows.map((r) => `${r}\n`).join(""), "utf8");
  await vscode.window.showTextDocument(vscode.Uri.file(output), { preview: false });
  const message = `Converted ${rows.length} row(s) to ${formatLabels[chosen]} in ${basename(output)}${skipped.length ? `; skipped ${skipped.length}: ${skipped.slice(0, 3).join("; ")}${skipped.length > 3 ? "; ..." : ""}` : "."}`;
  void vscode.window.showInformationMessage(message);
  return { output, converted: rows.length, skipped: skipped.length };
}

export interface DiskValidationResult {
  file: string;
  /** Lines read, or for a JSON array its elements (rows). */
  lines: number;
  array: boolean;
  problems: number;
  cancelled: boolean;
  /** Threads that validated it (every core's for a large file). */
  threads: number;
  report?: ShownReport;
}

/** Each running validation on disk: the lines it has read so far, and its progress bar's Cancel. */
const runningOnDisk = new Set<{ lines: () => number; cancel: () => void }>();

/**
 * Cancels the validations on disk that have read at least `afterLines` lines, as their Cancel
 * buttons would (`instructStudio.internal.cancelValidationsOnDisk`); returns how many.
 */
export function cancelValidationsOnDisk(afterLines = 0): number {
  const cancelled = [...runningOnDisk].filter((running) => running.lines() >= afterLines);
  cancelled.forEach((running) => running.cancel());
  return cancelled.length;
}

/**
 * `instructStudio.validateFileOnDisk`: VS Code gives extensions no file over 50 MB, so this
 * streams the file from disk with the CLI's validator in a worker thread (the extension host
 * only draws the progress bar), cancellable, and opens the report.
 */
export async function validateFileOnDisk(
  validation: ValidationController,
  extensionUri: vscode.Uri,
  uri?: vscode.Uri,
): Promise<DiskValidationResult | undefined> {
  const target =
    uri ??
    (
      await vscode.window.showOpenDialog({
        canSelectMany: false,
        filters: { "JSON Lines": ["jsonl", "ndjson"], "JSON arrays of rows": ["json"], "All files": ["*"] },
        title: "Validate a dataset on disk",
      })
    )?.[0];
  if (!target) return undefined;
  const file = target.fsPath;
  const size = statSync(file).size;
  const job: DiskValidationJob = { file, options: validation.settings.options, keep: reportLimit };
  return vscode.window.withProgress(
    { location: vscode.ProgressLocation.Notification, title: `Validating ${basename(file)}`, cancellable: true },
    async (progress, token) => {
      const worker = new Worker(join(__dirname, "validate-worker.js"), { workerData: job });
      let reported = 0;
      let last: Extract<DiskValidationMessage, { type: "progress" }> = { type: "progress", bytesRead: 0, lines: 0, problems: 0 };
      // Cancelling asks the worker for what it found so far; one that does not answer is stopped.
      let giveUp: (() => void) | undefined;
      const cancel = () => {
        worker.postMessage("stop");
        setTimeout(() => giveUp?.(), 2000);
      };
      const running = { lines: () => last.lines, cancel };
      runningOnDisk.add(running);
      const subscription = token.onCancellationRequested(cancel);
      const outcome = await new Promise<Exclude<DiskValidationMessage, { type: "progress" }>>((resolve) => {
        giveUp = () => resolve({ type: "done", lines: last.lines, bytesRead: last.bytesRead, problems: last.problems, kept: [], cancelled: true });
        worker.on("message", (message: DiskValidationMessage) => {
          if (message.type !== "progress") return resolve(message);
          last = message;
          const percent = size ? Math.floor((message.bytesRead / size) * 100) : 100;
          if (percent > reported) {
            progress.report({ increment: percent - reported, message: `${percent}% · ${message.problems.toLocaleString("en-US")} problems` });
            reported = percent;
          }
        });
        worker.on("error", (error) => resolve({ type: "error", message: error.message }));
        worker.on("exit", (code) => resolve({ type: "error", message: `the validation worker stopped (exit ${code})` }));
      });
      subscription.dispose();
      runningOnDisk.delete(running);
      void worker.terminate();
      if (outcome.type === "error") {
        void vscode.window.showErrorMessage(`Instruct Studio could not validate ${basename(file)}: ${outcome.message}`);
        return undefined;
      }
      const { lines, problems, cancelled, bytesRead } = outcome;
      const array = outcome.array === true;
      const read = array ? `${lines.toLocaleString("en-US")} rows of a JSON array` : `${lines.toLocaleString("en-US")} lines`;
      const note = outcome.document
        ? `One JSON object, not rows (JSON Lines or a JSON array of rows): ${outcome.document.read ? "only its syntax was checked" : "over 16 MB, not read"}.`
        : cancelled
          ? `Cancelled after ${read} (${Math.round((bytesRead / Math.max(size, 1)) * 100)}% of the file).`
          : `Streamed from disk: ${(size / 1024 / 1024).toFixed(1)} MB, ${read}${(outcome.threads ?? 1) > 1 ? `, on ${outcome.threads} threads` : ""}.`;
      const markdown = formatReport({ file, format: outcome.format, rows: lines, diagnostics: outcome.kept, total: problems, note });
      const report = await showReportPanel(extensionUri, { title: `Report: ${basename(file)}`, markdown, dataset: vscode.Uri.file(file) });
      return { file, lines, array, problems, cancelled, threads: outcome.threads ?? 1, report };
    },
  );
}

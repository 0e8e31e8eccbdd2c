import { createReadStream, existsSync, statSync } from "node:fs";
import { writeFile } from "node:fs/promises";
import { basename, dirname, extname, join } from "node:path";
import * as vscode from "vscode";
import { convertRow, ConvertTarget, convertTargets } from "../core/convert/convertRow";
import { formatLabels } from "../core/formats/detect";
import { readLines } from "../core/jsonl/lineReader";
import type { Diagnostic } from "../core/lint/diagnostic";
import { formatReport } from "../core/report";
import { sampleFileFormat, validateStream } from "../core/validate/streamValidator";
import { isJsonl } from "../rowAtCursor";
import type { ValidationController } from "./validationController";

const reportLimit = 20_000;

async function openReport(content: string): Promise<vscode.TextDocument> {
  const document = await vscode.workspace.openTextDocument({ language: "markdown", content });
  await vscode.window.showTextDocument(document, { preview: false });
  return document;
}

/** `instructStudio.showReport`: every problem of the active dataset, beyond VS Code's 1,000. */
export async function showReport(validation: ValidationController): Promise<vscode.TextDocument | undefined> {
  const document = vscode.window.activeTextEditor?.document;
  const validator = document && isJsonl(document) ? ((await validation.ready(document)) && validation.flush(document)) : undefined;
  if (!document || !validator) {
    void vscode.window.showWarningMessage("Open a .jsonl dataset to see its report.");
    return undefined;
  }
  const all = validator.diagnostics();
  const summary = validator.summary();
  return openReport(formatReport({ file: vscode.workspace.asRelativePath(document.uri), format: summary.format, rows: summary.rows, diagnostics: all.slice(0, reportLimit), total: all.length }));
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
    (await vscode.window.showQuickPick(convertTargets.map((t) => ({ label: formatLabels[t], target: t })), { title: "Convert to", placeHolder: "The converted rows go to a new file" }))?.target;
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
  lines: number;
  problems: number;
  cancelled: boolean;
  report?: vscode.TextDocument;
}

/** Counts the bytes a stream hands on, for the progress bar. */
async function* counted(stream: AsyncIterable<Buffer>, onBytes: (n: number) => void): AsyncGenerator<Uint8Array> {
  for await (const chunk of stream) {
    onBytes(chunk.length);
    yield chunk;
  }
}

/**
 * `instructStudio.validateFileOnDisk`: VS Code gives extensions no file over 50 MB, so this
 * streams the file from disk with the CLI's validator, cancellable, and opens the report.
 */
export async function validateFileOnDisk(validation: ValidationController, uri?: vscode.Uri): Promise<DiskValidationResult | undefined> {
  const target =
    uri ??
    (await vscode.window.showOpenDialog({ canSelectMany: false, filters: { "JSON Lines": ["jsonl", "ndjson"], "All files": ["*"] }, title: "Validate a dataset on disk" }))?.[0];
  if (!target) return undefined;
  const file = target.fsPath;
  const size = statSync(file).size;
  const options = validation.settings.options;
  return vscode.window.withProgress(
    { location: vscode.ProgressLocation.Notification, title: `Validating ${basename(file)}`, cancellable: true },
    async (progress, token) => {
      const sample = await sampleFileFormat(readLines(createReadStream(file)), options);
      const kept: Diagnostic[] = [];
      let problems = 0;
      let read = 0;
      let reported = 0;
      let lines = 0;
      const stream = counted(createReadStream(file, { highWaterMark: 1 << 20 }), (n) => {
        read += n;
        const percent = size ? Math.floor((read / size) * 100) : 100;
        if (percent > reported) {
          progress.report({ increment: percent - reported, message: `${percent}% · ${problems.toLocaleString("en-US")} problems` });
          reported = percent;
        }
      });
      const counting = (async function* () {
        for await (const line of readLines(stream)) {
          if (token.isCancellationRequested) return;
          lines = line.lineNumber;
          yield line;
        }
      })();
      for await (const d of validateStream(counting, sample, options)) {
        if (token.isCancellationRequested) break;
        problems++;
        if (kept.length < reportLimit) kept.push(d);
      }
      const cancelled = token.isCancellationRequested;
      const note = cancelled ? `Cancelled after ${lines.toLocaleString("en-US")} lines (${Math.round((read / Math.max(size, 1)) * 100)}% of the file).` : `Streamed from disk: ${(size / 1024 / 1024).toFixed(1)} MB, ${lines.toLocaleString("en-US")} lines.`;
      const report = await openReport(formatReport({ file, format: sample.format, rows: lines, diagnostics: kept, total: problems, note }));
      return { file, lines, problems, cancelled, report };
    },
  );
}

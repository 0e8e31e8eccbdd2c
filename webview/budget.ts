import type { DatasetReport, FileError, FileFigures } from "../src/core/budget/datasetReport";
import type { BudgetFromWebview, BudgetRendered, BudgetToWebview } from "../src/protocol/webview";
import { FormatId, formatLabels } from "../src/core/formats/formatLabels";
import { badge, button, textElement } from "./components";
import { histogramPlot, Plot, pngBase64, stepsPlot, svgText } from "./budgetPlots";

interface VsCodeApi {
  postMessage(message: BudgetFromWebview): void;
}
declare function acquireVsCodeApi(): VsCodeApi;

const vscode = acquireVsCodeApi();
const root = document.getElementById("root") as HTMLElement;
const n = (value: number) => value.toLocaleString("en-US");
const fileName = (path: string) => path.split(/[\\/]/).pop() ?? path;
const formatName = (format: string) => (format === "unknown" ? "not instruction data" : (formatLabels[format as FormatId] ?? format));

let state: BudgetRendered["state"] = "empty";
let plots: Plot[] = [];
let progressBar: HTMLProgressElement | undefined;
let progressText: HTMLElement | undefined;
let gpus = 1;
let progressRows: number | undefined;
let lastProgressReport = 0;

function report(): void {
  const rendered: BudgetRendered = {
    state,
    text: (root.textContent ?? "").slice(0, 6000),
    histogramBars: plots[0]?.bars ?? 0,
    limitMarker: plots[0]?.limitMarker ?? false,
    stepBars: plots[1]?.bars ?? 0,
    overLimitLinks: root.querySelectorAll(".over-limit-rows a").length,
    scriptElements: root.querySelectorAll("script").length,
    imageElements: root.querySelectorAll("img").length,
    progressRows: state === "running" ? progressRows : undefined,
  };
  vscode.postMessage({ type: "budgetRendered", rendered });
}

function toolbar(running: boolean): HTMLElement {
  const bar = textElement("div", "", "budget-toolbar");
  const label = textElement("label", "GPUs ");
  const input = document.createElement("input");
  input.type = "number";
  input.min = "1";
  input.value = String(gpus);
  input.className = "gpus";
  input.title = "Axolotl reads the number of GPUs from the environment (WORLD_SIZE); batch = micro batch × accumulation × GPUs";
  input.addEventListener("change", () => vscode.postMessage({ type: "budgetSetGpus", gpus: Math.max(1, Number(input.value) || 1) }));
  label.append(input);
  bar.append(label);
  if (running) bar.append(button("Cancel", () => vscode.postMessage({ type: "budgetCancel" }), "cancel"));
  else bar.append(button("Recompute", () => vscode.postMessage({ type: "budgetRerun" }), "rerun"));
  return bar;
}

function showRunning(files: string[]): void {
  state = "running";
  progressRows = undefined;
  plots = [];
  progressBar = document.createElement("progress");
  progressBar.max = 1;
  progressText = textElement("p", "Reading…", "progress-text");
  const heading = textElement("h1", `Training budget: ${files.length === 1 ? fileName(files[0]) : `${files.length} files`}`);
  root.replaceChildren(heading, toolbar(true), progressBar, progressText);
  report();
}

function showProgress(bytesDone: number, bytesTotal: number, rows: number): void {
  if (!progressBar || !progressText) return;
  progressBar.value = bytesTotal > 0 ? Math.min(1, bytesDone / bytesTotal) : 0;
  progressText.textContent = `${n(rows)} rows read · ${(bytesDone / 1e6).toFixed(1)} of ${(bytesTotal / 1e6).toFixed(1)} MB`;
  progressRows = rows;
  if (Date.now() - lastProgressReport > 500) {
    lastProgressReport = Date.now();
    report();
  }
}

/** A figure as Axolotl's log prints it, so the user can check one against the other. */
function logLine(name: string, value: string, hint = ""): HTMLElement {
  const line = textElement("div", "", "log-line");
  line.append(textElement("span", name, "log-name"), textElement("span", value, "log-value"));
  if (hint) line.append(textElement("span", hint, "log-hint"));
  return line;
}

function rowLink(file: string, line: number, label: string): HTMLElement {
  const link = textElement("a", label);
  link.href = "#";
  link.addEventListener("click", (event) => {
    event.preventDefault();
    vscode.postMessage({ type: "budgetOpenRow", file, line });
  });
  return link;
}

function exportPlot(name: string, plot: Plot, format: "svg" | "png"): void {
  if (format === "svg") vscode.postMessage({ type: "budgetExport", plot: name, format, data: svgText(plot.svg) });
  else void pngBase64(plot.svg).then((data) => vscode.postMessage({ type: "budgetExport", plot: name, format, data }));
}

const plotNames = ["tokens-per-row", "optimizer-steps"];

function plotSection(title: string, name: string, plot: Plot): HTMLElement {
  const section = textElement("section", "", "plot-section");
  const header = textElement("div", "", "plot-header");
  header.append(
    textElement("h2", title),
    button("SVG", () => exportPlot(name, plot, "svg"), "export-svg"),
    button("PNG", () => exportPlot(name, plot, "png"), "export-png"),
  );
  section.append(header, plot.svg);
  return section;
}

function filesTable(files: DatasetReport["files"], approx: string): HTMLElement {
  const table = textElement("table", "", "files");
  const head = textElement("tr", "");
  for (const title of ["File", "Rows", "Formats", "Invalid", "Not rendered", "Tokens", "Trained", "Over limit", "Duplicates"])
    head.append(textElement("th", title));
  table.append(head);
  for (const f of files) {
    const row = textElement("tr", "");
    if ("error" in f) {
      row.append(textElement("td", fileName(f.file)), textElement("td", (f as FileError).error, "error"));
      table.append(row);
      continue;
    }
    const figures = f as FileFigures;
    const formats = Object.entries(figures.formats)
      .map(([format, count]) => `${formatName(format)} ${n(count ?? 0)}`)
      .join(", ");
    const cells = [
      fileName(figures.file),
      n(figures.rows),
      figures.note ? `It ${figures.note}.` : formats || "—",
      n(figures.invalidRows),
      n(figures.notRendered),
      `${approx}${n(figures.tokens.total)}`,
      `${approx}${n(figures.trainedTokens)}`,
      n(figures.overLimit),
      n(figures.duplicates),
    ];
    for (const cell of cells) row.append(textElement("td", cell));
    row.title = figures.notRenderedReason ? `Not rendered: ${figures.notRenderedReason}` : figures.file;
    table.append(row);
  }
  return table;
}

function showReport(r: DatasetReport, seconds: number): void {
  state = "report";
  const approx = r.exact ? "" : "≈";
  const heading = textElement("h1", `Training budget: ${r.files.length === 1 ? fileName(r.files[0].file) : `${r.files.length} files`}`);
  const source = textElement("p", "", "budget-source");
  source.append(
    badge(r.exact ? "exact" : "approximate counts"),
    textElement(
      "span",
      ` ${r.exact ? `tokenizer ${r.tokenizer} (counted with ${r.counting})` : "no tokenizer configured: counts are estimated"} · template ${r.template} · ${seconds.toFixed(1)} s`,
    ),
  );
  const rowsValid = r.files.reduce((sum, f) => sum + ("error" in f ? 0 : f.rows - f.invalidRows - f.notRendered), 0);
  const invalid = r.files.reduce((sum, f) => sum + ("error" in f ? 0 : f.invalidRows), 0);
  const notRendered = r.files.reduce((sum, f) => sum + ("error" in f ? 0 : f.notRendered), 0);
  const log = textElement("section", "", "axolotl-log");
  log.append(
    textElement("h2", "As Axolotl will log it"),
    logLine(
      "total_num_tokens:",
      `${approx}${n(r.totalNumTokens)}`,
      `over ${n(r.keptRows)} row${r.keptRows === 1 ? "" : "s"} that reach${r.keptRows === 1 ? "es" : ""} the trainer`,
    ),
    logLine("total_supervised_tokens:", `${approx}${n(r.totalSupervisedTokens)}`, "tokens with loss"),
    logLine(
      "total_num_steps:",
      n(r.totalNumSteps),
      `sample_packing ${r.samplePacking} · ${r.epochs} epoch${r.epochs === 1 ? "" : "s"} · batch ${n(r.batch)} (micro batch × accumulation × ${r.gpus} GPU${r.gpus === 1 ? "" : "s"})`,
    ),
    logLine("steps per epoch:", `${n(r.steps.perEpochWithoutPacking)} without packing · ${r.sequenceLen ? n(r.steps.perEpochWithPacking) : "—"} with packing`),
    logLine("warmup steps:", n(r.warmupSteps)),
    logLine(
      "trainer:",
      r.trainer === "axolotl" ? "Axolotl's step count" : `${r.trainer === "trl" ? "TRL" : "LLaMA-Factory"} through the Hugging Face Trainer's step count`,
    ),
    logLine("tokens per step:", `${approx}${n(Math.round(r.tokensPerStep))}`),
  );
  if (r.sequenceLen)
    log.append(logLine("packing efficiency:", `${(r.packingEfficiency * 100).toFixed(1)}%`, `${n(r.bins)} sequences of ${n(r.sequenceLen)} tokens per epoch`));
  const rows = textElement("section", "", "rows-summary");
  rows.append(
    textElement("h2", "Rows"),
    logLine("rows:", `${n(rowsValid)} rendered · ${n(invalid)} invalid · ${n(notRendered)} not rendered`),
    logLine(
      "tokens per row:",
      `min ${approx}${n(r.tokens.min)} · p50 ${approx}${n(r.tokens.p50)} · p95 ${approx}${n(r.tokens.p95)} · max ${approx}${n(r.tokens.max)}`,
    ),
    logLine("trained tokens:", `${approx}${n(r.trainedTokens)}`, "masks as the preview computes them"),
    logLine("turns per row:", `min ${n(r.turns.min)} · p50 ${n(r.turns.p50)} · p95 ${n(r.turns.p95)} · max ${n(r.turns.max)}`),
    logLine(
      "duplicates:",
      `${n(r.duplicates.rows)} row${r.duplicates.rows === 1 ? "" : "s"} repeat${r.duplicates.rows === 1 ? "s" : ""} an earlier row (${n(r.duplicates.groups)} distinct content${r.duplicates.groups === 1 ? "" : "s"})`,
    ),
  );
  plots = [
    histogramPlot(r.histogram, r.sequenceLen, !r.exact),
    stepsPlot(r.steps.withoutPacking, r.sequenceLen ? r.steps.withPacking : undefined, r.samplePacking),
  ];
  const body: HTMLElement[] = [
    heading,
    toolbar(false),
    source,
    log,
    plotSection("Tokens per row", "tokens-per-row", plots[0]),
    plotSection("Optimizer steps", "optimizer-steps", plots[1]),
    rows,
  ];
  if (r.sequenceLen !== undefined) {
    const over = textElement("section", "", "over-limit-rows");
    const strategy =
      r.excessLengthStrategy === "drop" ? "Axolotl drops them" : r.excessLengthStrategy === "truncate" ? "they are truncated" : "the run stops at the first";
    over.append(textElement("h2", `${n(r.overLimit)} row${r.overLimit === 1 ? "" : "s"} over sequence_len ${n(r.sequenceLen)} (${strategy})`));
    const list = textElement("ol", "");
    for (const row of r.overLimitRows.slice(0, 200)) {
      const item = textElement("li", "");
      item.append(rowLink(row.file, row.line, `${fileName(row.file)}:${row.line}`), textElement("span", ` ${approx}${n(row.tokens)} tokens`));
      list.append(item);
    }
    over.append(list);
    if (r.overLimit > 200)
      over.append(textElement("p", `…and ${n(r.overLimit - 200)} more (the CLI's stats --json lists ${n(r.overLimitRows.length)}).`, "more"));
    body.push(over);
  } else
    body.push(
      textElement(
        "p",
        "No sequence_len: set instructStudio.trainingConfig (or instructStudio.preview.sequenceLen) to see rows over the limit and packed steps.",
        "hint",
      ),
    );
  if (r.duplicates.listed.length > 0) {
    const dup = textElement("section", "", "duplicate-rows");
    dup.append(textElement("h2", "Duplicates"));
    const list = textElement("ol", "");
    for (const d of r.duplicates.listed.slice(0, 50)) {
      const item = textElement("li", "");
      item.append(
        rowLink(d.file, d.line, `${fileName(d.file)}:${d.line}`),
        textElement("span", " repeats "),
        rowLink(d.first.file, d.first.line, `${fileName(d.first.file)}:${d.first.line}`),
      );
      list.append(item);
    }
    dup.append(list);
    body.push(dup);
  }
  body.push(textElement("h2", "Files"), filesTable(r.files, approx));
  root.replaceChildren(...body);
  report();
}

function showMessage(kind: "cancelled" | "error", text: string): void {
  state = kind;
  plots = [];
  root.replaceChildren(toolbar(false), textElement("p", text, kind === "error" ? "syntax-error" : "empty"));
  report();
}

window.addEventListener("message", (event: MessageEvent<BudgetToWebview>) => {
  const message = event.data;
  if (message.type === "budgetRunning") {
    gpus = message.gpus;
    showRunning(message.files);
  } else if (message.type === "budgetProgress") showProgress(message.bytesDone, message.bytesTotal, message.rows);
  else if (message.type === "budgetReport") {
    gpus = message.gpus;
    showReport(message.report, message.seconds);
  } else if (message.type === "budgetCancelled") showMessage("cancelled", "Cancelled. Recompute to measure the dataset again.");
  else if (message.type === "budgetError") showMessage("error", message.message);
  else if (message.type === "budgetRequestExport") {
    const plot = plots[plotNames.indexOf(message.plot)];
    if (plot) exportPlot(message.plot, plot, message.format);
  }
});

root.replaceChildren(textElement("p", "Measuring the dataset…", "empty"));
vscode.postMessage({ type: "budgetReady" });

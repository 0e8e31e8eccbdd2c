import assert from "node:assert/strict";
import { mkdirSync, readFileSync, writeFileSync } from "node:fs";
import { dirname, join } from "node:path";
import * as vscode from "vscode";
import { measurerOf, runBudget } from "../../src/workers/budgetRunner";
import type { DatasetReport } from "../../src/core/budget/datasetReport";
import { parseTrainingConfig } from "../../src/core/config/trainingConfig";
import { loadTokenizerFolder } from "../../src/core/tokenizers/huggingFaceTokenizer";
import type { BudgetRendered } from "../../src/protocol/webview";
import { screenshot, waitFor, workspaceFile } from "./helpers";

interface BudgetState {
  rendered?: BudgetRendered;
  report?: DatasetReport;
  measuredRows?: number;
  completedRuns: number;
  workerPid?: number;
  extensionHostPid: number;
}
const state = () => vscode.commands.executeCommand<BudgetState>("instructStudio.internal.budgetState");
const setting = (key: string, value: unknown) => vscode.workspace.getConfiguration("instructStudio").update(key, value, vscode.ConfigurationTarget.Workspace);

const chat = (question: string, answer: string) =>
  JSON.stringify({
    messages: [
      { role: "user", content: question },
      { role: "assistant", content: answer },
    ],
  });
const config = [
  "sequence_len: 64",
  "sample_packing: true",
  "micro_batch_size: 2",
  "gradient_accumulation_steps: 2",
  "num_epochs: 3",
  "warmup_ratio: 0.1",
  "chat_template: chatml",
  "datasets:",
  "  - path: ./part-a.jsonl",
  "    type: chat_template",
  "  - path: ./part-b.jsonl",
  "    type: chat_template",
].join("\n");

function write(name: string, text: string): string {
  const path = workspaceFile(name).fsPath;
  mkdirSync(dirname(path), { recursive: true });
  writeFileSync(path, text);
  return path;
}

/** Waits for the view to draw a report, from a run after `runsBefore`, that `accept`s. */
async function drawn(
  runsBefore: number,
  accept: (s: BudgetState) => boolean,
  timeoutMs = 90_000,
): Promise<Required<Pick<BudgetState, "rendered" | "report">> & BudgetState> {
  return waitFor(
    "the Dataset view's report",
    async () => {
      const s = await state();
      const shown = s.rendered?.state === "report" && s.report && s.rendered.text.includes(s.report.totalNumTokens.toLocaleString("en-US"));
      return s.completedRuns > runsBefore && shown && accept(s) ? (s as Required<Pick<BudgetState, "rendered" | "report">> & BudgetState) : undefined;
    },
    timeoutMs,
  );
}

describe("Dataset view: the training budget", () => {
  const short = Array.from({ length: 9 }, (_, i) => chat(`Question ${i + 1}: name a colour.`, `Colour number ${i + 1} is blue.`));
  const long = chat("Write at length.", "word ".repeat(120).trim());
  let a: string;
  let b: string;

  before(async () => {
    a = write("budget/part-a.jsonl", `${short.slice(0, 5).join("\n")}\n${long}\n`);
    b = write("budget/part-b.jsonl", `${short.slice(5).join("\n")}\n${short[0]}\nnot json\n`);
    write("budget/axolotl.yml", config);
    await setting("trainingConfig", "budget/axolotl.yml");
    await setting("preview.tokenizer", "models/qwen3");
  });
  after(async () => {
    await setting("trainingConfig", undefined);
    await setting("preview.tokenizer", undefined);
    await vscode.commands.executeCommand("workbench.action.closeAllEditors");
  });

  it("shows a config's local datasets as one training set: exact figures, plots, over-limit rows, from a worker process", async () => {
    const runs = (await state()).completedRuns;
    await vscode.commands.executeCommand("instructStudio.showTrainingBudget");
    const s = await drawn(runs, (x) => x.report!.rows === 11);
    // The same figures from the core in this process, with the folder's own tokenizer (the worker counts with llama.cpp).
    const parsed = parseTrainingConfig(config);
    const reference = await runBudget(
      { files: [a, b], gpus: 1, sources: { config: parsed } },
      measurerOf({ config: parsed }, loadTokenizerFolder(workspaceFile("models/qwen3").fsPath)),
    );
    for (const key of [
      "rows",
      "tokens",
      "trainedTokens",
      "overLimit",
      "steps",
      "totalNumTokens",
      "totalSupervisedTokens",
      "warmupSteps",
      "bins",
      "histogram",
      "turns",
      "duplicates",
    ] as const) {
      assert.deepEqual(s.report[key], reference[key], key);
    }
    assert.equal(s.report.exact, true);
    assert.equal(s.report.overLimit, 1);
    assert.equal(s.report.duplicates.rows, 1);
    assert.deepEqual(
      s.report.overLimitRows.map((r) => [r.file, r.line]),
      [[a, 6]],
    );
    assert.equal(s.report.files.length, 2);
    assert.equal(s.report.batch, 4);
    // What the view draws: Axolotl's log lines with the same values, the histogram with the limit, both step bars, a link per over-limit row.
    assert.ok(s.rendered.text.includes(`total_num_steps:${s.report.totalNumSteps.toLocaleString("en-US")}`), s.rendered.text.slice(0, 600));
    assert.ok(s.rendered.text.includes(`total_num_tokens:${s.report.totalNumTokens.toLocaleString("en-US")}`));
    assert.ok(s.rendered.histogramBars > 0 && s.rendered.limitMarker);
    assert.equal(s.rendered.stepBars, 2);
    assert.equal(s.rendered.overLimitLinks, 1);
    assert.ok(s.workerPid && s.workerPid !== s.extensionHostPid, "measured in the budget worker, not the extension host");
    // 2 GPUs from the setting: batch 8, so ceil(10 x 3 / 8) = 4 steps without packing.
    await setting("budget.gpus", 2);
    try {
      const two = await drawn(s.completedRuns, (x) => x.report!.gpus === 2);
      assert.equal(two.report.batch, 8);
      assert.equal(two.report.steps.withoutPacking, Math.ceil((s.report.keptRows * 3) / 8));
    } finally {
      await setting("budget.gpus", undefined);
    }
    await drawn((await state()).completedRuns - 1, (x) => x.report!.gpus === 1);
    await screenshot("budget-dataset-view");
    // The plots' SVG and PNG exports, through the view's own export code.
    const svgPath = join(dirname(a), "histogram.svg");
    await vscode.commands.executeCommand("instructStudio.internal.budgetExport", "tokens-per-row", "svg", svgPath);
    const svg = readFileSync(svgPath, "utf8");
    assert.match(svg, /^<\?xml[^]*<svg[^>]*xmlns="http:\/\/www.w3.org\/2000\/svg"/);
    assert.equal((svg.match(/<rect /g) ?? []).length, s.rendered.histogramBars);
    assert.match(svg, /sequence_len 64/);
    assert.doesNotMatch(svg, /var\(--/, "colours are resolved, not the editor's CSS variables");
    const pngPath = join(dirname(a), "steps.png");
    await vscode.commands.executeCommand("instructStudio.internal.budgetExport", "optimizer-steps", "png", pngPath);
    const png = readFileSync(pngPath);
    assert.deepEqual([...png.subarray(1, 4)], [0x50, 0x4e, 0x47]);
    assert.equal(png.readUInt32BE(16), 1120, "twice the plot's 560-pixel width");
  });

  it("follows an edit of an open file, measuring only the new row", async () => {
    const document = await vscode.workspace.openTextDocument(vscode.Uri.file(a));
    const editor = await vscode.window.showTextDocument(document, vscode.ViewColumn.One);
    // Shown again with the file open: the worker now holds its rows' measures.
    const runs = (await state()).completedRuns;
    await vscode.commands.executeCommand("instructStudio.showTrainingBudget");
    const before = (await drawn(runs, () => true)).report;
    await editor.edit((e) => e.insert(new vscode.Position(document.lineCount - 1, 0), `${chat("A new question?", "A new answer.")}\n`));
    const after = await drawn(runs + 1, (x) => x.report!.rows === before.rows + 1);
    assert.equal(after.measuredRows, 1, "only the added row was measured again");
    assert.ok(after.report.totalNumTokens > before.totalNumTokens);
    await vscode.commands.executeCommand("workbench.action.files.revert");
  });

  it("as a new user: the open file, no config and no tokenizer; counts are labelled approximate and the view says what sequence_len needs", async () => {
    await setting("trainingConfig", undefined);
    await setting("preview.tokenizer", undefined);
    try {
      const document = await vscode.workspace.openTextDocument(workspaceFile("s1k.jsonl"));
      await vscode.window.showTextDocument(document, vscode.ViewColumn.One);
      const runs = (await state()).completedRuns;
      await vscode.commands.executeCommand("instructStudio.showTrainingBudget");
      const s = await drawn(runs, (x) => x.report!.files.length === 1 && x.report!.files[0].file === document.uri.fsPath);
      assert.equal(s.report.exact, false);
      assert.equal(s.report.sequenceLen, undefined);
      assert.match(s.rendered.text, /approximate counts/);
      assert.match(s.rendered.text, /No sequence_len: set instructStudio\.trainingConfig/);
      assert.equal(s.rendered.limitMarker, false);
      assert.equal(s.rendered.stepBars, 1, "without sequence_len there is no packing to compare");
      await screenshot("budget-new-user");
    } finally {
      await setting("trainingConfig", "budget/axolotl.yml");
      await setting("preview.tokenizer", "models/qwen3");
    }
  });

  it("an open dataset_info.json holds no rows, as on disk, not a syntax error a line", async () => {
    const info = write(
      "budget/lf/dataset_info.json",
      `${JSON.stringify({ demo: { file_name: "demo.json" }, chat: { file_name: "chat.jsonl", formatting: "sharegpt" } }, null, 2)}\n`,
    );
    await setting("trainingConfig", undefined);
    try {
      const document = await vscode.workspace.openTextDocument(vscode.Uri.file(info));
      await vscode.window.showTextDocument(document, vscode.ViewColumn.One);
      const runs = (await state()).completedRuns;
      await vscode.commands.executeCommand("instructStudio.showTrainingBudget");
      const s = await drawn(runs, (x) => x.report!.files.length === 1 && x.report!.files[0].file === info);
      const figures = s.report.files[0] as { rows: number; invalidRows: number; blankLines: number };
      assert.deepEqual([s.report.rows, figures.rows, figures.invalidRows, figures.blankLines], [0, 0, 0, 0]);
      assert.match(s.rendered.text, /It holds one JSON object, not rows/);
      await screenshot("budget-dataset-info");
    } finally {
      await setting("trainingConfig", "budget/axolotl.yml");
    }
  });

  it("a large file shows progress and can be cancelled; the editor keeps answering", async () => {
    const big = write(
      "budget/big.jsonl",
      `${Array.from({ length: 100_000 }, (_, i) => chat(`Question ${i}: ${"why ".repeat(i % 20)}?`, `Answer ${i}: ${"because ".repeat(i % 30)}.`)).join("\n")}\n`,
    );
    await vscode.commands.executeCommand("instructStudio.showTrainingBudget", vscode.Uri.file(big));
    const progress = await waitFor(
      "progress of the run",
      async () => {
        const rendered = (await state()).rendered;
        return rendered?.state === "running" && (rendered.progressRows ?? 0) > 0 ? rendered : undefined;
      },
      60_000,
    );
    assert.match(progress.text, /rows read · [\d.]+ of [\d.]+ MB/);
    const started = Date.now();
    await vscode.commands.executeCommand("instructStudio.internal.budgetCancel");
    const cancelled = await waitFor("the cancel", async () => ((await state()).rendered?.state === "cancelled" ? (await state()).rendered : undefined), 30_000);
    assert.ok(Date.now() - started < 10_000, `cancelled after ${Date.now() - started} ms`);
    assert.match(cancelled.text, /Cancelled/);
  });

  it("measures a JSON-array dataset a config names (alpaca_data.json), each element a row, over-limit rows linked to their lines", async () => {
    const rows = [
      ...Array.from({ length: 6 }, (_, i) => ({ instruction: `Name colour ${i + 1}.`, input: "", output: `Colour ${i + 1} is blue.` })),
      { instruction: "Write at length.", input: "", output: "word ".repeat(120).trim() },
    ];
    const array = write("budget/alpaca_data.json", JSON.stringify(rows, null, 4));
    write(
      "budget/axolotl-array.yml",
      ["sequence_len: 64", "chat_template: chatml", "datasets:", "  - path: ./alpaca_data.json", "    type: alpaca"].join("\n"),
    );
    await setting("trainingConfig", "budget/axolotl-array.yml");
    try {
      const runs = (await state()).completedRuns;
      await vscode.commands.executeCommand("instructStudio.showTrainingBudget");
      const s = await drawn(runs, (x) => x.report!.files.length === 1 && x.report!.files[0].file === array);
      assert.equal(s.report.rows, 7);
      // The long row is the seventh element, which starts on line 32 of the pretty-printed file.
      assert.deepEqual(
        s.report.overLimitRows.map((r) => [r.file, r.line]),
        [[array, 32]],
      );
      assert.equal(s.rendered.overLimitLinks, 1);
      await screenshot("budget-json-array");
    } finally {
      await setting("trainingConfig", "budget/axolotl.yml");
    }
  });
});

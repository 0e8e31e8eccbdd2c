import assert from "node:assert/strict";
import { createReadStream, writeFileSync } from "node:fs";
import { availableParallelism } from "node:os";
import * as vscode from "vscode";
import type { InternalStats } from "../../src/commands";
import type { Summary } from "../../src/core/validate/documentValidator";
import { readLineBatches } from "../../src/core/jsonl/lineReader";
import { validateLineBatches } from "../../src/core/validate/streamValidator";
import type { ShownReport } from "../../src/reports/reportPanel";
import type { ConvertResult, DiskValidationResult } from "../../src/validation/commands";
import { openInEditor, screenshot, waitFor, workspaceFile } from "./helpers";
import { distinctRows } from "../support/distinctRows";

const ours = (uri: vscode.Uri) => vscode.languages.getDiagnostics(uri).filter((d) => d.source === "Instruct Studio");
const rulesAt = (uri: vscode.Uri, line: number) =>
  ours(uri)
    .filter((d) => d.range.start.line === line)
    .map((d) => String(d.code));

async function diagnosticsFor(uri: vscode.Uri, accept: (d: vscode.Diagnostic[]) => boolean, what: string): Promise<vscode.Diagnostic[]> {
  return waitFor(what, () => {
    const found = ours(uri);
    return accept(found) ? found : undefined;
  });
}

async function writeWorkspaceFile(name: string, content: string): Promise<vscode.Uri> {
  const uri = workspaceFile(name);
  await vscode.workspace.fs.writeFile(uri, Buffer.from(content));
  return uri;
}

async function applyCodeAction(uri: vscode.Uri, range: vscode.Range, title: RegExp): Promise<void> {
  // Resolved as the light bulb resolves the one chosen: "fix all" builds its edit only then.
  const actions = await vscode.commands.executeCommand<vscode.CodeAction[]>("vscode.executeCodeActionProvider", uri, range, undefined, 10);
  const action = actions.find((a) => title.test(a.title));
  assert.ok(action, `no code action ${title} among ${actions.map((a) => a.title).join(" | ")}`);
  assert.ok(await vscode.workspace.applyEdit(action.edit!));
}

describe("validation in the editor", () => {
  it("reports one problem of every kind at its exact line and range, with related rows", async () => {
    const editor = await openInEditor("fixtures/every-problem.jsonl");
    const uri = editor.document.uri;
    const found = await diagnosticsFor(uri, (d) => d.some((x) => x.code === "mixed-formats"), "the fixture's diagnostics");
    assert.deepEqual(rulesAt(uri, 1), ["syntax"]);
    assert.deepEqual(rulesAt(uri, 2), ["blank-line"]);
    assert.deepEqual(rulesAt(uri, 3), ["not-object"]);
    const unknownKey = found.find((d) => d.code === "unknown-key")!;
    assert.equal(editor.document.getText(unknownKey.range), '"outptu"');
    assert.match(unknownKey.message, /did you mean `output`/);
    const duplicate = found.find((d) => d.code === "duplicate-row")!;
    assert.equal(duplicate.range.start.line, 15);
    assert.equal(duplicate.relatedInformation?.[0].location.range.start.line, 0);
    const near = found.find((d) => d.code === "near-duplicate")!;
    assert.equal(near.relatedInformation?.[0].location.range.start.line, 16);
    assert.equal(editor.document.getText(found.find((d) => d.code === "leaked-template")!.range), "<|im_end|>");
    const rules = new Set(found.map((d) => String(d.code)));
    for (const rule of [
      "syntax",
      "blank-line",
      "not-object",
      "missing-field",
      "wrong-type",
      "unknown-key",
      "placeholder-input",
      "empty-output",
      "refusal-boilerplate",
      "leaked-template",
      "merged-instructions",
      "unbalanced-think",
      "control-characters",
      "mojibake",
      "duplicate-row",
      "near-duplicate",
      "mixed-formats",
      "surrounding-whitespace",
    ]) {
      assert.ok(rules.has(rule), rule);
    }
    const stats = await vscode.commands.executeCommand<InternalStats>("instructStudio.internal.stats");
    assert.equal(stats.validation?.format, "alpaca");
    assert.equal(stats.validation?.counts.error, found.filter((d) => d.severity === vscode.DiagnosticSeverity.Error).length);
    await vscode.commands.executeCommand("workbench.actions.view.problems");
    editor.selection = new vscode.Selection(6, 40, 6, 40);
    await screenshot("validation-every-problem");
  });

  it("near duplicates: a copied short prompt with the same answer is a warning; questions under one shared tool preamble are not", async () => {
    const preamble =
      "toolformer: enabled\ntoolformer access: wolfram\nA wolfram alpha search engine. Useful for when you need to answer questions about Math, Science, Technology, Culture, Society and Everyday Life. Input should be a search query.\nwolfram(query)\n";
    const rows = [
      { instruction: "Translate the sentence into French.", input: "The cat sleeps on the sofa.", output: "Le chat dort sur le canapé." },
      {
        instruction: `${preamble}What is the highest peak in the world and its altitude?`,
        input: "",
        output: "The highest peak is wolfram('highest peak in the world').",
      },
      {
        instruction: `${preamble}When and where was Albert Einstein born?`,
        input: "",
        output: "Albert Einstein was born on wolfram('Albert Einstein birth date').",
      },
      { instruction: `${preamble}Calculate the square root of 64.`, input: "", output: "The square root of 64 is wolfram('sqrt(64)')." },
      { instruction: "Translate this sentence into French.", input: "The cat sleeps on the sofa.", output: "Le chat dort sur le canapé." },
    ];
    const uri = await writeWorkspaceFile("planted-near-duplicates.jsonl", `${rows.map((r) => JSON.stringify(r)).join("\n")}\n`);
    const editor = await openInEditor("planted-near-duplicates.jsonl");
    const found = await diagnosticsFor(uri, (d) => d.some((x) => x.code === "near-duplicate"), "the planted pair's warning");
    const near = found.filter((d) => d.code === "near-duplicate");
    assert.deepEqual(
      near.map((d) => [d.range.start.line, d.severity, d.relatedInformation?.[0].location.range.start.line]),
      [[4, vscode.DiagnosticSeverity.Warning, 0]],
    );
    assert.match(near[0].message, /ROUGE-L 0\.91 over words\), with the same answer/);
    await vscode.commands.executeCommand("workbench.actions.view.problems");
    editor.selection = new vscode.Selection(4, 10, 4, 10);
    await screenshot("validation-near-duplicates");
  });

  it("near duplicates: a group of rows asking one thing is one finding naming each row, and it follows edits", async () => {
    const preamble =
      "toolformer: enabled\ntoolformer access: news\nUse this when you want to get information about the top headlines of current news stories. The input should be a question in natural language that this API can answer.\nnews(query)\n";
    const rows = [
      ["What are the top news headlines today?", "The top news headlines today are news('top news headlines today')."],
      ["What is the boiling point of water at sea level?", "Water boils at news('boiling point of water') degrees."],
      ["What are the top headlines today?", "The top headlines today are news('top headlines today')."],
      ["Tell me the top news headlines today.", "Here are the top news headlines today: news('top news headlines today')."],
      ["Who won the football match between Spain and Italy?", "The winner was news('Spain Italy football match result')."],
    ].map(([question, answer]) => JSON.stringify({ instruction: `${preamble}${question}`, input: "", output: answer }));
    const uri = await writeWorkspaceFile("headline-group.jsonl", `${rows.join("\n")}\n`);
    const editor = await openInEditor("headline-group.jsonl");
    const near = (found: vscode.Diagnostic[]) => found.filter((d) => d.code === "near-duplicate");
    const group = near(await diagnosticsFor(uri, (d) => near(d).length > 0, "the group's finding"));
    assert.deepEqual(
      group.map((d) => [d.range.start.line, d.range.end.character, d.relatedInformation?.map((r) => r.location.range.start.line)]),
      [[2, rows[2].length, [0, 3]]],
    );
    assert.match(
      group[0].message,
      /^Asks nearly what row 1 asks \(estimated Jaccard 0\.\d\d over word 5-grams\)\. Row 4 belongs to the same group of near duplicates\.$/,
    );
    // The group's other rows have no finding of their own: their hover says where it is.
    const hovers = await vscode.commands.executeCommand<vscode.Hover[]>("vscode.executeHoverProvider", uri, new vscode.Position(3, 0));
    const hoverText = hovers.flatMap((h) => h.contents.map((c) => (typeof c === "string" ? c : c.value))).join("\n");
    assert.match(
      hoverText,
      /Asks nearly what row 1 asks \(estimated Jaccard 0\.\d\d over word 5-grams\)\. One of 3 rows that nearly repeat each other: the finding on row 3 names them\./,
    );
    await vscode.commands.executeCommand("workbench.actions.view.problems");
    editor.selection = new vscode.Selection(3, 0, 3, 0);
    await vscode.commands.executeCommand("editor.action.showHover");
    await screenshot("validation-near-duplicate-group");
    // Deleting the first repeating row leaves a pair: the finding moves to the row that remains.
    const edit = new vscode.WorkspaceEdit();
    edit.delete(uri, new vscode.Range(2, 0, 3, 0));
    assert.ok(await vscode.workspace.applyEdit(edit));
    const pair = near(await diagnosticsFor(uri, (d) => near(d).some((x) => !x.message.includes("group")), "the pair's finding"));
    assert.deepEqual(
      pair.map((d) => [d.range.start.line, d.relatedInformation?.map((r) => r.location.range.start.line)]),
      [[2, [0]]],
    );
    assert.match(pair[0].message, /^Asks nearly what row 1 asks \(estimated Jaccard 0\.\d\d over word 5-grams\)\.$/);
    await vscode.commands.executeCommand("workbench.action.files.revert");
  });

  it("conversation rules on OpenAI messages", async () => {
    const editor = await openInEditor("fixtures/every-problem-chat.jsonl");
    const uri = editor.document.uri;
    await diagnosticsFor(uri, (d) => d.some((x) => x.code === "tool-call-mismatch"), "conversation diagnostics");
    assert.deepEqual(rulesAt(uri, 0), ["unknown-role"]);
    assert.deepEqual(rulesAt(uri, 1), ["role-order"]);
    assert.deepEqual(rulesAt(uri, 2), ["system-not-first"]);
    assert.deepEqual(rulesAt(uri, 3), ["no-assistant-turn"]);
    assert.deepEqual(rulesAt(uri, 4), ["last-turn-not-assistant"]);
    assert.deepEqual(rulesAt(uri, 5), ["empty-content"]);
    assert.deepEqual(rulesAt(uri, 6), ["tool-call-mismatch"]);
    assert.deepEqual(rulesAt(uri, 7), []);
  });

  it("a quick fix renames a mistyped key, and the diagnostic goes away", async () => {
    const uri = await writeWorkspaceFile("typo.jsonl", '{"instruction": "Say hi.", "input": "", "outptu": "Hi!"}\n');
    const editor = await openInEditor("typo.jsonl");
    const found = await diagnosticsFor(uri, (d) => d.some((x) => x.code === "unknown-key"), "unknown-key");
    const problem = found.find((d) => d.code === "unknown-key")!;
    await applyCodeAction(uri, problem.range, /Rename `outptu` to `output`/);
    assert.equal(editor.document.lineAt(0).text, '{"instruction": "Say hi.", "input": "", "output": "Hi!"}');
    await diagnosticsFor(uri, (d) => d.length === 0, "no diagnostics after the fix");
  });

  it("fix all of one kind: every placeholder input becomes empty in one edit", async () => {
    const rows = ["N/A", "<noinput>", "No input"].map((input, i) => JSON.stringify({ instruction: `Task ${i}`, input, output: `Answer ${i}` }));
    const uri = await writeWorkspaceFile("placeholders.jsonl", `${rows.join("\n")}\n`);
    const editor = await openInEditor("placeholders.jsonl");
    const found = await diagnosticsFor(uri, (d) => d.filter((x) => x.code === "placeholder-input").length === 3, "three placeholders");
    await applyCodeAction(uri, found[0].range, /Fix all 3 `placeholder-input` problems/);
    for (let line = 0; line < 3; line++) assert.equal(JSON.parse(editor.document.lineAt(line).text).input, "");
    await diagnosticsFor(uri, (d) => d.length === 0, "no placeholder left");
  });

  it("generation artifacts: a run-on answer is cut by its quick fix, a slot left unfilled and looping answers (of words, of marks) are shown", async () => {
    const rows = [
      { instruction: "Name the capital of France.", input: "", output: "Paris.\n\nInstruction: Name the capital of Spain.\nOutput: Madrid." },
      { instruction: "Write a greeting card.", input: "", output: "Happy birthday, {{recipient}}!" },
      { instruction: "Say something.", input: "", output: `Well. ${"I agree. ".repeat(14).trim()}` },
      { instruction: "Show the code.", input: "", output: `Here it is:\n${"```\n".repeat(30).trimEnd()}` },
    ].map((r) => JSON.stringify(r));
    const uri = await writeWorkspaceFile("artifacts.jsonl", `${rows.join("\n")}\n`);
    const editor = await openInEditor("artifacts.jsonl");
    const found = await diagnosticsFor(
      uri,
      (d) => ["run-on-generation", "unfilled-placeholder", "degenerate-repetition"].every((rule) => d.some((x) => x.code === rule)),
      "the three artifacts",
    );
    assert.deepEqual(
      [0, 1, 2, 3].map((line) => rulesAt(uri, line)),
      [["run-on-generation"], ["unfilled-placeholder"], ["degenerate-repetition"], ["degenerate-repetition"]],
    );
    const loops = found.filter((d) => d.code === "degenerate-repetition").map((d) => d.message);
    assert.deepEqual(loops, [
      '"I agree." repeats 14 times in a row: a generation stuck in a loop.',
      '"```" repeats 30 times in a row: a generation stuck in a loop.',
    ]);
    const placeholder = found.find((d) => d.code === "unfilled-placeholder")!;
    assert.equal(editor.document.getText(placeholder.range), "{{recipient}}");
    await screenshot("validation-generation-artifacts");
    await applyCodeAction(uri, found.find((d) => d.code === "run-on-generation")!.range, /Cut the output before "Instruction:"/);
    assert.equal(JSON.parse(editor.document.lineAt(0).text).output, "Paris.");
    await diagnosticsFor(uri, () => rulesAt(uri, 0).length === 0, "the run-on gone");
  });

  it("a file of no instruction format says so once, at its first row, with the keys it saw", async () => {
    const uri = workspaceFile("events.ndjson");
    await openInEditor("events.ndjson");
    const found = await diagnosticsFor(uri, (d) => d.length > 0, "the no-format info");
    assert.deepEqual(
      found.map((d) => [d.code, d.range.start.line, d.severity]),
      [["no-instruction-format", 0, vscode.DiagnosticSeverity.Information]],
    );
    assert.match(found[0].message, /keys seen: level, msg/);
  });

  it("deletes a duplicate row with its quick fix", async () => {
    const row = JSON.stringify({ instruction: "Name a colour.", input: "", output: "Red." });
    const uri = await writeWorkspaceFile("dupes.jsonl", `${row}\n${JSON.stringify({ instruction: "Name a fruit.", input: "", output: "Pear." })}\n${row}\n`);
    const editor = await openInEditor("dupes.jsonl");
    const duplicate = (await diagnosticsFor(uri, (d) => d.some((x) => x.code === "duplicate-row"), "duplicate-row")).find((d) => d.code === "duplicate-row")!;
    await applyCodeAction(uri, duplicate.range, /Delete this duplicate row/);
    assert.equal(editor.document.lineCount, 3);
    await diagnosticsFor(uri, (d) => d.length === 0, "no duplicate left");
  });

  it("re-checks edited lines as the user types, keeping other lines' diagnostics in place", async () => {
    const rows = [1, 2, 3].map((i) => JSON.stringify({ instruction: `Task ${i}`, input: "", output: `Answer ${i}` }));
    const uri = await writeWorkspaceFile("typing.jsonl", `${rows.join("\n")}\n`);
    const editor = await openInEditor("typing.jsonl");
    await diagnosticsFor(uri, (d) => d.length === 0, "a clean file");
    const endOfRow2 = editor.document.lineAt(1).range.end;
    await editor.edit((b) => b.insert(endOfRow2.translate(0, -1), ","));
    const [syntax] = await diagnosticsFor(uri, (d) => d.length === 1, "the trailing comma");
    assert.equal(syntax.code, "syntax");
    assert.equal(syntax.range.start.line, 1);
    await editor.edit((b) => b.insert(new vscode.Position(0, 0), `${JSON.stringify({ instruction: "New", input: "", output: "Row" })}\n`));
    const [moved] = await diagnosticsFor(uri, (d) => d.length === 1 && d[0].range.start.line === 2, "the error moved down a line");
    assert.equal(moved.code, "syntax");
    await applyCodeAction(uri, moved.range, /Remove the trailing comma/);
    await diagnosticsFor(uri, (d) => d.length === 0, "clean again");
  });

  it("hovers a row with its format, turns and problems", async () => {
    const editor = await openInEditor("fixtures/every-problem.jsonl");
    const hovers = await vscode.commands.executeCommand<vscode.Hover[]>("vscode.executeHoverProvider", editor.document.uri, new vscode.Position(6, 0));
    const text = hovers.flatMap((h) => h.contents.map((c) => (typeof c === "string" ? c : "value" in c ? c.value : ""))).join("\n");
    assert.match(text, /Row 7/);
    assert.match(text, /Alpaca/);
    assert.match(text, /`unknown-key`/);
  });

  it("opens a report with every problem and the counts per rule: rendered, rows linked, tables sortable, closed without a save prompt", async () => {
    const editor = await openInEditor("fixtures/every-problem.jsonl");
    const unsaved = () => vscode.workspace.textDocuments.filter((d) => d.isUntitled).length;
    const untitledBefore = unsaved();
    const report = await vscode.commands.executeCommand<ShownReport>("instructStudio.showReport");
    assert.match(report.markdown, /Format: Alpaca/);
    assert.match(report.markdown, /\| `duplicate-row` \| warning \| 1 \|/);
    assert.match(report.markdown, /\| \[7\]\(#L7\) \| 41 \| warning \| `unknown-key` \|/);
    // Drawn as HTML by the page: the rule table and the problem table, every problem linked to its row.
    assert.equal(report.tables, 2);
    assert.equal(report.sortableTables, 2);
    assert.ok(report.rowLinks >= 10, `${report.rowLinks} row links`);
    assert.doesNotMatch(report.text, /\| `|\[7\]\(#L7\)/, "the page shows rendered Markdown, not its source");
    const tab = vscode.window.tabGroups.activeTabGroup.activeTab;
    assert.ok(tab?.input instanceof vscode.TabInputWebview, "the report is a webview tab, not an Untitled file");
    assert.equal(tab.group.viewColumn, editor.viewColumn, "in the dataset's own group");
    assert.equal(unsaved(), untitledBefore, "no Untitled document to ask about");
    await screenshot("validation-report");
    await vscode.commands.executeCommand("workbench.action.closeActiveEditor");
  });

  it("converts Alpaca to ShareGPT into a new file that validates clean", async () => {
    await openInEditor("alpaca.jsonl");
    const result = await vscode.commands.executeCommand<ConvertResult>("instructStudio.convert", "sharegpt");
    assert.equal(result.converted, 5);
    assert.equal(result.skipped, 0);
    const document = await vscode.workspace.openTextDocument(result.output);
    assert.equal(document.languageId, "jsonl");
    assert.deepEqual(JSON.parse(document.lineAt(1).text), {
      conversations: [
        { from: "human", value: "Translate the sentence into Korean.\nThe weather is nice today." },
        { from: "gpt", value: "오늘은 날씨가 좋습니다." },
      ],
    });
    const summary = await waitFor(
      "the converted file's validation",
      async () => await vscode.commands.executeCommand<Summary | undefined>("instructStudio.internal.validated", document.uri.toString()),
    );
    assert.equal(summary.rows, 5);
    assert.equal(summary.format, "sharegpt");
    assert.deepEqual(ours(document.uri), []);
  });

  it("validates a file on disk larger than VS Code opens (50 MB) by streaming it", async () => {
    const uri = workspaceFile("big.jsonl");
    const row = JSON.stringify({ instruction: "Summarise the paragraph in one sentence, keeping the names.", input: "x".repeat(400), output: "A summary." });
    const rows = Math.ceil((55 * 1024 * 1024) / (row.length + 1));
    const lines = Array.from({ length: rows }, (_, i) => (i === 1000 ? '{"instruction": "broken",}' : row.replace("x", String(i))));
    writeFileSync(uri.fsPath, `${lines.join("\n")}\n`);
    const started = performance.now();
    const result = await vscode.commands.executeCommand<DiskValidationResult>("instructStudio.validateFileOnDisk", uri);
    const onEveryCore = performance.now() - started;
    assert.equal(result.cancelled, false);
    assert.equal(result.lines, rows);
    assert.ok(result.problems >= 1);
    assert.match(result.report!.markdown, /\| \[1001\]\(#L1001\) \| \d+ \| error \| `syntax` \|/);
    // On every core, as `lint` validates a large file, with the findings of one thread.
    const cores = Math.min(availableParallelism(), 8);
    assert.equal(result.threads, cores);
    if (cores > 1) assert.match(result.report!.markdown, new RegExp(`${rows.toLocaleString("en-US")} lines, on ${cores} threads\\.`));
    const oneThreadStarted = performance.now();
    let oneThread = 0;
    for await (const _ of validateLineBatches(readLineBatches(createReadStream(uri.fsPath)))) oneThread++;
    console.log(
      `55 MB on disk: ${Math.round(onEveryCore)} ms on ${cores} threads (report included), ${Math.round(performance.now() - oneThreadStarted)} ms on one`,
    );
    assert.equal(result.problems, oneThread);
    await screenshot("validation-large-file-on-disk");
    await vscode.commands.executeCommand("workbench.action.closeActiveEditor");
    await vscode.workspace.fs.delete(uri);
  });

  it("cancels a validation on disk on every core where it is, with what it found so far, and the editor keeps answering", async () => {
    const uri = workspaceFile("clean-big.jsonl");
    // Rows that are all different, so that no finding comes to stop at: the threads stop between chunks.
    const lines = distinctRows(160_000, 9, { instruction: 25, output: 40 });
    writeFileSync(uri.fsPath, `${lines.join("\n")}\n`);
    const started = performance.now();
    const running = vscode.commands.executeCommand<DiskValidationResult>("instructStudio.validateFileOnDisk", uri);
    // Cancelled once it has read 10,000 lines, as a click on the progress bar's Cancel would.
    const cancelAfter = async () =>
      (await vscode.commands.executeCommand<number>("instructStudio.internal.cancelValidationsOnDisk", 10_000)) > 0 ? true : undefined;
    await waitFor("10,000 lines read", cancelAfter);
    const cancelledAt = performance.now();
    const result = await running;
    const answered = performance.now() - cancelledAt;
    console.log(`cancelled ${Math.round(cancelledAt - started)} ms in, after ${result.lines} lines; the report came ${Math.round(answered)} ms later`);
    assert.equal(result.cancelled, true);
    // The worker answered with its own count (the fallback that stops a worker that does not answer gives no thread count).
    assert.equal(result.threads, Math.min(availableParallelism(), 8));
    assert.ok(result.lines >= 10_000 && result.lines < lines.length, `${result.lines} of ${lines.length} lines`);
    assert.match(result.report!.markdown, /Cancelled after [\d,]+ lines \(\d+% of the file\)\./);
    await screenshot("validation-on-disk-cancelled");
    assert.equal(await vscode.commands.executeCommand<number>("instructStudio.internal.cancelValidationsOnDisk"), 0);
    await vscode.commands.executeCommand("workbench.action.closeActiveEditor");
    await vscode.workspace.fs.delete(uri);
  });

  it("validates a JSON array of rows on disk element by element, its findings at the file's lines, and a one-object file by its syntax", async () => {
    const uri = workspaceFile("alpaca_data_big.json");
    const rows = Array.from({ length: 20_000 }, (_, i) => ({
      instruction: `Summarise paragraph ${i} in one sentence, keeping the names.`,
      input: "x".repeat(200),
      output: i === 12_345 ? "" : `Summary ${i}.`,
    }));
    // Indented as Alpaca ships alpaca_data.json: read by lines, each line would be a syntax error.
    const text = JSON.stringify(rows, null, 4);
    writeFileSync(uri.fsPath, text);
    const emptyOutputLine = text.split("\n").indexOf('        "output": ""') + 1;
    const result = await vscode.commands.executeCommand<DiskValidationResult>("instructStudio.validateFileOnDisk", uri);
    assert.equal(result.cancelled, false);
    assert.equal(result.array, true);
    assert.equal(result.lines, rows.length);
    assert.equal(result.problems, 1, result.report!.markdown.slice(0, 2000));
    assert.match(result.report!.markdown, new RegExp(`\\| \\[${emptyOutputLine}\\]\\(#L${emptyOutputLine}\\) \\| \\d+ \\| error \\| \`empty-output\` \\|`));
    assert.match(result.report!.markdown, /20,000 rows of a JSON array/);
    await screenshot("validation-json-array-on-disk");
    await vscode.commands.executeCommand("workbench.action.closeActiveEditor");
    await vscode.workspace.fs.delete(uri);
    // One JSON object over many lines (LLaMA-Factory's dataset_info.json): its syntax, not an error a line.
    const info = workspaceFile("dataset_info.json");
    writeFileSync(info.fsPath, '{\n  "demo": {\n    "file_name": "demo.json"\n    "formatting": "alpaca"\n  }\n}\n');
    const checked = await vscode.commands.executeCommand<DiskValidationResult>("instructStudio.validateFileOnDisk", info);
    assert.equal(checked.problems, 1, checked.report!.markdown);
    assert.match(checked.report!.markdown, /\| \[4\]\(#L4\) \| 5 \| error \| `syntax` \| Comma expected\. \|/);
    assert.match(checked.report!.markdown, /One JSON object, not rows/);
    await screenshot("validation-json-object-on-disk");
    await vscode.commands.executeCommand("workbench.action.closeActiveEditor");
    await vscode.workspace.fs.delete(info);
  });

  it("checks Super-NaturalInstructions task files and LLaMA-Factory dataset_info.json against their schemas", async () => {
    const task = await writeWorkspaceFile(
      "tasks/task001_demo.json",
      JSON.stringify(
        {
          Contributors: ["me"],
          Source: ["x"],
          Categories: ["Question Answering"],
          Input_language: ["English"],
          Output_language: ["English"],
          "Positive Examples": [],
          "Negative Examples": [],
          Instances: [],
        },
        null,
        2,
      ),
    );
    await vscode.window.showTextDocument(await vscode.workspace.openTextDocument(task));
    const problems = await waitFor(
      "schema diagnostics",
      () => {
        const found = vscode.languages.getDiagnostics(task);
        return found.some((d) => /Definition/.test(d.message)) ? found : undefined;
      },
      30_000,
    );
    assert.ok(problems.some((d) => /Definition/.test(d.message)));
    const info = await writeWorkspaceFile("data/dataset_info.json", JSON.stringify({ mine: { file_name: "mine.json", formatting: "chatml" } }, null, 2));
    await vscode.window.showTextDocument(await vscode.workspace.openTextDocument(info));
    await waitFor("dataset_info diagnostics", () => vscode.languages.getDiagnostics(info).some((d) => /alpaca|sharegpt/.test(d.message)) || undefined, 30_000);
  });

  it("reads rows through a training config's field mapping (instructStudio.trainingConfig)", async () => {
    await writeWorkspaceFile(
      "axolotl.yml",
      [
        "sequence_len: 4096",
        "datasets:",
        "  - path: ./dialog.jsonl",
        "    type: chat_template",
        "    field_messages: dialog",
        "    message_property_mappings:",
        "      role: speaker",
        "      content: text",
        "",
      ].join("\n"),
    );
    const uri = await writeWorkspaceFile(
      "dialog.jsonl",
      `${JSON.stringify({
        dialog: [
          { speaker: "user", text: "hi" },
          { speaker: "robot", text: "hello" },
        ],
      })}\n`,
    );
    await openInEditor("dialog.jsonl");
    const summary = await waitFor(
      "the file's validation",
      async () => await vscode.commands.executeCommand<Summary | undefined>("instructStudio.internal.validated", uri.toString()),
    );
    assert.equal(summary.rows, 1);
    assert.equal(summary.format, undefined);
    assert.deepEqual(
      ours(uri).map((d) => d.code),
      ["no-instruction-format"],
      "without the config the rows are no known format, and it says so",
    );
    const config = vscode.workspace.getConfiguration("instructStudio");
    await config.update("trainingConfig", "axolotl.yml", vscode.ConfigurationTarget.Workspace);
    try {
      const [role] = await diagnosticsFor(uri, (d) => d.some((x) => x.code === "unknown-role"), "the config's roles applied");
      assert.match(role.message, /Unknown role "robot"/);
      assert.ok(!ours(uri).some((d) => d.code === "no-instruction-format"), "read as chat rows through the config");
    } finally {
      await config.update("trainingConfig", undefined, vscode.ConfigurationTarget.Workspace);
    }
  });
});

import assert from "node:assert/strict";
import { copyFileSync } from "node:fs";
import * as vscode from "vscode";
import type { Critique } from "../../src/core/generation/critique";
import { detectRowFormat } from "../../src/core/formats/detect";
import type { GenerateSummary } from "../../src/model/generationCommands";
import { startOpenAiServer, TestServer } from "../support/openaiServer";
import { moveCursor, openInEditor, screenshot, waitFor, workspaceFile } from "./helpers";

interface ModelState {
  workerPid?: number;
  info?: { loaded: boolean; device: string; label: string };
  jobs: number;
  unavailable?: string;
}

const section = () => vscode.workspace.getConfiguration("instructStudio");
const setModel = async (key: string, value: unknown) => section().update(key, value, vscode.ConfigurationTarget.Global);
const state = () => vscode.commands.executeCommand<ModelState>("instructStudio.internal.modelState");
const run = <T>(command: string, args?: unknown) => vscode.commands.executeCommand<T>(command, args);

/** A fresh copy of a sample, so each test starts from known rows. */
async function copyOf(sample: string, name: string): Promise<vscode.TextEditor> {
  copyFileSync(workspaceFile(sample).fsPath, workspaceFile(name).fsPath);
  return openInEditor(name);
}

const lines = (document: vscode.TextDocument) => Array.from({ length: document.lineCount }, (_, i) => document.lineAt(i).text);
function assertEveryRowValid(document: vscode.TextDocument): void {
  for (const [i, text] of lines(document).entries()) if (text.trim()) assert.doesNotThrow(() => JSON.parse(text), `line ${i + 1}: ${text}`);
}

describe("local model commands", function () {
  this.timeout(180_000);
  let server: TestServer;
  before(async () => {
    server = await startOpenAiServer();
    await setModel("model.idleUnloadMinutes", 0);
    // One request at a time: with two, which request finishes first decides the examples of the
    // next, so the tiny model's acceptances (and these tests) would vary from run to run.
    await setModel("model.parallel", 1);
  });
  after(async () => {
    for (const key of ["model.path", "model.endpoint", "model.endpointModel", "model.idleUnloadMinutes", "model.parallel"]) await setModel(key, undefined);
    await server.close();
  });

  it("say why they cannot run before a model is chosen, instead of failing", async () => {
    await setModel("model.path", undefined);
    await openInEditor("alpaca.jsonl");
    const result = await run<{ refused: string }>("instructStudio.critiqueEntry");
    assert.match(result.refused, /No model chosen/);
    assert.match((await state()).unavailable ?? "", /No model chosen/);
  });

  it("generate entries like the file's, appended as they pass, every original line unchanged", async () => {
    await setModel("model.path", workspaceFile("models/tiny-chatml.gguf").fsPath);
    const editor = await copyOf("alpaca.jsonl", "generated-alpaca.jsonl");
    const before = lines(editor.document);
    const summary = await run<GenerateSummary>("instructStudio.generateEntries", { count: 3, seed: 4 });
    assert.equal(summary.accepted, 3, JSON.stringify(summary));
    console.log(`generated 3 entries in ${summary.attempts} attempts`);
    const after = lines(editor.document);
    assert.deepEqual(after.slice(0, before.length - 1), before.slice(0, before.length - 1));
    const added = after.slice(before.length - 1).filter((l) => l.trim());
    assert.equal(added.length, 3);
    for (const row of added) assert.equal(detectRowFormat(JSON.parse(row)), "alpaca");
    const model = await state();
    assert.equal(model.info?.loaded, true);
    assert.equal(model.info?.device, "cpu");
    assert.ok(model.workerPid && model.workerPid !== process.pid, "the model runs in its own process");
    await waitFor("validation of the new rows", () => {
      const errors = vscode.languages.getDiagnostics(editor.document.uri).filter((d) => d.severity === vscode.DiagnosticSeverity.Error);
      return errors.length === 0 ? true : undefined;
    });
    moveCursor(editor, editor.document.lineCount - 2);
    await screenshot("model-generated");
  });

  it("critique an entry: a diagnostic on the row, a hover and a quick fix that rewrites the response", async () => {
    const editor = await copyOf("alpaca.jsonl", "critiqued-alpaca.jsonl");
    const critique = await run<Critique>("instructStudio.critiqueEntry", { uri: editor.document.uri.toString(), line: 1 });
    assert.ok(Number.isInteger(critique.score) && critique.score >= 1 && critique.score <= 5);
    const diagnostic = await waitFor("the critique diagnostic", () =>
      vscode.languages.getDiagnostics(editor.document.uri).find((d) => d.source === "critique"),
    );
    assert.equal(diagnostic.range.start.line, 1);
    assert.match(diagnostic.message, new RegExp(`^Critique ${critique.score}/5`));
    const hovers = await vscode.commands.executeCommand<vscode.Hover[]>("vscode.executeHoverProvider", editor.document.uri, new vscode.Position(1, 3));
    assert.ok(hovers.some((h) => h.contents.some((c) => (c as vscode.MarkdownString).value?.includes(`Critique: ${critique.score}/5`))));
    const actions = await vscode.commands.executeCommand<vscode.CodeAction[]>("vscode.executeCodeActionProvider", editor.document.uri, diagnostic.range);
    const fix = actions.find((a) => a.title === "Rewrite the response following this critique");
    assert.ok(fix?.command, actions.map((a) => a.title).join(", "));
    moveCursor(editor, 1);
    await vscode.commands.executeCommand("editor.action.showHover");
    await screenshot("model-critique");

    const before = JSON.parse(editor.document.lineAt(1).text);
    // Seeded: the quick fix's own arguments leave sampling free, and the tiny model may then stop at once.
    const result = await run<{ outcome: string }>(fix.command.command, { ...fix.command.arguments?.[0], seed: 5 });
    assert.equal(result.outcome, "applied", JSON.stringify(result));
    const after = JSON.parse(editor.document.lineAt(1).text);
    assert.equal(after.instruction, before.instruction);
    assert.equal(after.input, before.input);
    assert.notEqual(after.output, before.output);
    await waitFor("the stale critique to go", () =>
      vscode.languages.getDiagnostics(editor.document.uri).some((d) => d.source === "critique") ? undefined : true,
    );
    await vscode.commands.executeCommand("undo");
    assert.deepEqual(JSON.parse(editor.document.lineAt(1).text), before, "one undo step restores the row");
  });

  it("critique a file several rows at once, lowest scores first; continue an assistant turn in place", async () => {
    const editor = await copyOf("openai-messages.jsonl", "critiqued-file.jsonl");
    const result = await run<{ critiqued: number; results: Array<{ line: number; score: number }>; report: { rowLinks: number; sortableTables: number } }>(
      "instructStudio.critiqueFile",
      { maxRows: 3 },
    );
    assert.equal(result.critiqued, 3, JSON.stringify(result));
    assert.equal(result.report.rowLinks, 3, "each critiqued row links to its line");
    assert.equal(result.report.sortableTables, 1);
    await screenshot("model-critique-file-report");
    const scores = result.results.map((r) => r.score);
    assert.deepEqual(
      scores,
      [...scores].sort((a, b) => a - b),
    );
    await waitFor("three critique diagnostics", () =>
      vscode.languages.getDiagnostics(editor.document.uri).filter((d) => d.source === "critique").length === 3 ? true : undefined,
    );
    await vscode.window.showTextDocument(editor.document);
    const before = JSON.parse(editor.document.lineAt(0).text);
    const continued = await run<{ outcome: string; text: string }>("instructStudio.continueTurn", { uri: editor.document.uri.toString(), line: 0, seed: 5 });
    assert.equal(continued.outcome, "applied");
    const after = JSON.parse(editor.document.lineAt(0).text);
    const last = after.messages.length - 1;
    assert.ok(
      after.messages[last].content.startsWith(before.messages[last].content) && after.messages[last].content.length > before.messages[last].content.length,
    );
    assert.deepEqual(after.messages.slice(0, last), before.messages.slice(0, last));
  });

  it("never overwrites a row the user edited while the model wrote", async () => {
    // A server that streams slowly keeps the job running while the user types (a warm local test model can finish first).
    await setModel("model.endpoint", server.url);
    server.behaviour.chunkDelayMs = 150;
    try {
      const editor = await copyOf("sharegpt.jsonl", "edited-sharegpt.jsonl");
      const pending = run<{ outcome: string }>("instructStudio.continueTurn", { uri: editor.document.uri.toString(), line: 0 });
      await waitFor("the job to start", async () => ((await state()).jobs > 0 ? true : undefined));
      const mine = editor.document.lineAt(0).text.replace("Paris.", "Paris, on the Seine.");
      await editor.edit((b) => b.replace(editor.document.lineAt(0).range, mine));
      const result = await pending;
      assert.equal(result.outcome, "row-changed");
      assert.equal(editor.document.lineAt(0).text, mine);
    } finally {
      server.behaviour.chunkDelayMs = 0;
      await setModel("model.endpoint", undefined);
    }
  });

  it("cancelling generation leaves every line valid; a killed worker is reported and the next command starts a new one", async () => {
    const editor = await copyOf("openai-messages.jsonl", "cancelled-openai.jsonl");
    const cancelled = run<GenerateSummary>("instructStudio.generateEntries", { count: 200, seed: 9 });
    await waitFor("an entry to be added", () => (editor.document.lineCount > 4 ? true : undefined), 60_000);
    assert.ok((await run<number>("instructStudio.internal.cancelModelJobs")) >= 1);
    const summary = await cancelled;
    assert.equal(summary.cancelled, true);
    assert.ok(summary.accepted < 200);
    assertEveryRowValid(editor.document);

    const count = editor.document.lineCount;
    const killed = run<GenerateSummary>("instructStudio.generateEntries", { count: 200, seed: 10 });
    const pid = await waitFor("a running worker", async () => {
      const s = await state();
      return s.jobs > 0 && s.info?.loaded ? s.workerPid : undefined;
    });
    process.kill(pid, "SIGKILL");
    const outcome = await killed;
    assert.match(outcome.error ?? "", /model process stopped/);
    assertEveryRowValid(editor.document);
    assert.ok(editor.document.lineCount >= count);
    const critique = await run<Critique>("instructStudio.critiqueEntry", { uri: editor.document.uri.toString(), line: 0 });
    assert.ok(critique.score >= 1);
    assert.notEqual((await state()).workerPid, pid);
  });

  it("Critique File keeps its results by row content in the workspace's storage, never in the dataset (checked again after a reload)", async () => {
    await setModel("model.endpoint", `${server.url}, ${server.url}`);
    try {
      const editor = await copyOf("alpaca.jsonl", "kept-critiques.jsonl");
      const before = editor.document.getText();
      const first = await run<{
        critiqued: number;
        reused: number;
        results: Array<{ line: number; score: number }>;
        report: { filterColumns: string[]; filter(column: string, values: number[]): Promise<number> };
      }>("instructStudio.critiqueFile");
      const rows = lines(editor.document).filter((l) => l.trim()).length;
      assert.equal(first.critiqued, rows, JSON.stringify(first));
      assert.equal(first.reused, 0);
      assert.deepEqual(first.report.filterColumns, ["Score"]);
      const lowest = first.results[0].score;
      assert.equal(
        await first.report.filter("Score", [lowest]),
        first.results.filter((r) => r.score === lowest).length,
        "the report shows only the picked score's rows",
      );
      assert.equal(await first.report.filter("Score", []), rows, "no score picked: every row");
      assert.equal(editor.document.getText(), before, "the dataset is not touched");
      assert.equal(editor.document.isDirty, false);
      // Run again unchanged: nothing is asked, every critique is kept.
      await vscode.window.showTextDocument(editor.document);
      const sent = server.requests.length;
      const again = await run<{ critiqued: number; reused: number }>("instructStudio.critiqueFile");
      assert.deepEqual([again.critiqued, again.reused], [0, rows]);
      assert.equal(server.requests.length, sent);
    } finally {
      await setModel("model.endpoint", undefined);
    }
  });

  it("work the same through an OpenAI-compatible server, Genstruct passages included", async () => {
    await setModel("model.endpoint", server.url);
    const editor = await copyOf("sharegpt.jsonl", "server-sharegpt.jsonl");
    const summary = await run<GenerateSummary>("instructStudio.generateEntries", { count: 2, seed: 1 });
    assert.equal(summary.accepted, 2, JSON.stringify(summary));
    const added = lines(editor.document)
      .filter((l) => l.trim())
      .slice(-2);
    for (const row of added) assert.equal(detectRowFormat(JSON.parse(row)), "sharegpt");
    assert.ok(server.requests.some((r) => r.body.response_format !== undefined));

    await setModel("model.endpointModel", "genstruct-7b");
    const passage = await vscode.workspace.openTextDocument({ content: "A cortado is a Spanish beverage of espresso and warm milk.", language: "plaintext" });
    const passageEditor = await vscode.window.showTextDocument(passage);
    passageEditor.selection = new vscode.Selection(0, 0, 0, passage.lineAt(0).text.length);
    const result = await run<{ appended: boolean; line: string }>("instructStudio.generateFromPassage", {
      target: editor.document.uri.toString(),
      title: "Cortado",
    });
    assert.equal(result.appended, true, JSON.stringify(result));
    assert.deepEqual(
      JSON.parse(result.line).conversations.map((t: { value: string }) => t.value),
      ["Why does it rain?", "Because water vapour condenses."],
    );
    assert.equal(server.requests[server.requests.length - 1].path, "/v1/completions");
    await setModel("model.endpointModel", undefined);
    await setModel("model.endpoint", undefined);
  });
});

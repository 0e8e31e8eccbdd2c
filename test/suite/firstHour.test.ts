// What a new user meets first (issue 21): the sample with the common mistakes, a tool-calling
// turn in the preview with nothing configured, the preview keeping its row when focus moves on.
import assert from "node:assert/strict";
import * as vscode from "vscode";
import type { InternalStats } from "../../src/commands";
import type { RenderedReport } from "../../src/protocol/webview";
import { openInEditor, screenshot, waitFor } from "./helpers";

const rendered = async () => (await vscode.commands.executeCommand<InternalStats>("instructStudio.internal.stats")).previewRendered;
const waitForRender = (what: string, accept: (r: RenderedReport) => boolean) =>
  waitFor(what, async () => {
    const report = await rendered();
    return report && accept(report) ? report : undefined;
  });

describe("the first hour", function () {
  this.timeout(90_000);

  it("the sample with the common mistakes shows each one, a broken row's other problems with its syntax error", async () => {
    const editor = await openInEditor("common-mistakes.jsonl", 1);
    const uri = editor.document.uri;
    const findings = await waitFor("the sample's findings", () => {
      const found = vscode.languages.getDiagnostics(uri);
      return found.some((d) => d.code === "mojibake") ? found : undefined;
    });
    const at = (line: number) =>
      findings
        .filter((d) => d.range.start.line === line)
        .map((d) => String(d.code))
        .sort();
    assert.deepEqual(at(1), ["empty-output", "missing-field", "placeholder-input", "syntax", "unknown-key"]);
    assert.deepEqual(at(3), ["leaked-template"]);
    assert.deepEqual(at(4), ["duplicate-row"]);
    const leaked = findings.find((d) => d.code === "leaked-template")!;
    assert.equal(editor.document.getText(leaked.range), "### Response:");
    const fixes = await vscode.commands.executeCommand<vscode.CodeAction[]>(
      "vscode.executeCodeActionProvider",
      uri,
      findings.find((d) => d.code === "unknown-key" && d.range.start.line === 1)!.range,
    );
    assert.ok(
      fixes.some((f) => /instruction/.test(f.title)),
      fixes.map((f) => f.title).join(", "),
    );
    await vscode.commands.executeCommand("workbench.actions.view.problems");
    await screenshot("first-hour-common-mistakes");
  });

  it("a tool-calling turn with null content: the default template writes the call and the panel trains it whole", async () => {
    await openInEditor("openai-messages.jsonl", 1);
    await vscode.commands.executeCommand("instructStudio.showPreview");
    await openInEditor("openai-messages.jsonl", 1);
    const report = await waitForRender("the tool-calling row", (r) => r.line === 1 && r.training !== undefined);
    assert.match(report.text, /ChatML with tool calls \(built-in, the default\)/);
    assert.match(report.text, /→ get_weather\(\{"city": "Seoul"\}\)/, "the Fields list shows the call, not (empty)");
    assert.doesNotMatch(report.text, /cannot be found/);
    await screenshot("first-hour-tool-call-preview");
  });

  it("the preview keeps the last dataset row while the Dataset view has focus", async () => {
    await openInEditor("alpaca.jsonl", 2);
    await vscode.commands.executeCommand("instructStudio.showPreview");
    await openInEditor("alpaca.jsonl", 2);
    await waitForRender("alpaca line 3", (r) => r.line === 2 && r.training !== undefined);
    await vscode.commands.executeCommand("instructStudio.showTrainingBudget");
    await waitFor("the Dataset view to take focus", () => (vscode.window.activeTextEditor === undefined ? true : undefined));
    await new Promise((r) => setTimeout(r, 1000));
    const report = await rendered();
    assert.equal(report?.line, 2, "the panel still shows the row");
    assert.doesNotMatch(report?.text ?? "", /Open a \.jsonl dataset/);
    assert.match(
      report?.text ?? "",
      /The completion ends with the model's EOS token, shown as ⟨EOS⟩/,
      "no tokenizer: the Alpaca completion ends with the model's EOS, not ChatML's",
    );
    assert.doesNotMatch(report?.text ?? "", /<\|im_end\|>/);
    await screenshot("first-hour-preview-keeps-row");
    await vscode.commands.executeCommand("workbench.action.closeActiveEditor");
  });
});

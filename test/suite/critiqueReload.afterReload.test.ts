// Runs in a second window of the same workbench, after the main suite's window is gone: what the
// extension kept in the workspace's storage must come back with no model configured.
import assert from "node:assert/strict";
import * as vscode from "vscode";
import { startOpenAiServer } from "../support/openaiServer";
import { openInEditor, screenshot, waitFor } from "./helpers";

const critiqueDiagnostics = (uri: vscode.Uri) => vscode.languages.getDiagnostics(uri).filter((d) => d.source === "critique");

describe("after a reload", function () {
  this.timeout(120_000);

  it("Critique File's results come back on their rows, and only an edited row is judged again", async () => {
    const editor = await openInEditor("kept-critiques.jsonl");
    const rows = Array.from({ length: editor.document.lineCount }, (_, i) => editor.document.lineAt(i).text).filter((l) => l.trim()).length;
    const restored = await waitFor("the kept critiques", () =>
      critiqueDiagnostics(editor.document.uri).length === rows ? critiqueDiagnostics(editor.document.uri) : undefined,
    );
    assert.deepEqual(
      restored.map((d) => d.range.start.line).sort((a, b) => a - b),
      Array.from({ length: rows }, (_, i) => i),
    );
    await vscode.commands.executeCommand("workbench.actions.view.problems");
    await screenshot("critique-after-reload");

    const edited = JSON.parse(editor.document.lineAt(1).text);
    edited.output = `${edited.output} (revised)`;
    await editor.edit((b) => b.replace(editor.document.lineAt(1).range, JSON.stringify(edited)));
    await waitFor("the edited row's critique to go", () => (critiqueDiagnostics(editor.document.uri).length === rows - 1 ? true : undefined));
    const server = await startOpenAiServer();
    await vscode.workspace.getConfiguration("instructStudio").update("model.endpoint", server.url, vscode.ConfigurationTarget.Global);
    try {
      const result = await vscode.commands.executeCommand<{
        critiqued: number;
        reused: number;
        report: { filter(column: string, values: number[]): Promise<number> };
      }>("instructStudio.critiqueFile");
      assert.deepEqual([result.critiqued, result.reused], [1, rows - 1]);
      assert.equal(server.requests.length, 1, "one request: the edited row");
      await result.report.filter("Score", [1, 2]);
      await screenshot("critique-report-filtered");
      await waitFor("every row critiqued again", () => (critiqueDiagnostics(editor.document.uri).length === rows ? true : undefined));
    } finally {
      await vscode.workspace.getConfiguration("instructStudio").update("model.endpoint", undefined, vscode.ConfigurationTarget.Global);
      await server.close();
    }
  });
});

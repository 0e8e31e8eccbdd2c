import assert from "node:assert/strict";
import * as vscode from "vscode";
import type { InternalStats } from "../../src/commands";
import type { RenderedReport } from "../../src/protocol/webview";
import { moveCursor, openInEditor, screenshot, waitFor, workspaceFile } from "./helpers";

const rendered = async () => (await vscode.commands.executeCommand<InternalStats>("instructStudio.internal.stats")).previewRendered;

const waitForRender = (what: string, accept: (r: RenderedReport) => boolean) =>
  waitFor(what, async () => {
    const report = await rendered();
    return report && accept(report) ? report : undefined;
  });

describe("preview panel", () => {
  it("shows the row under the cursor and follows the cursor", async () => {
    const editor = await openInEditor("alpaca.jsonl", 1);
    await vscode.commands.executeCommand("instructStudio.showPreview");
    await vscode.window.showTextDocument(editor.document, { preserveFocus: false });
    const first = await waitForRender("line 2 in the panel", (r) => r.line === 1);
    assert.equal(first.partCount, 3);
    assert.ok(first.text.includes("Translate the sentence into Korean."), first.text);
    assert.ok(first.text.includes("오늘은 날씨가 좋습니다."));
    moveCursor(editor, 4);
    const moved = await waitForRender("line 5 in the panel", (r) => r.line === 4);
    assert.ok(moved.text.includes("def fib(n: int) -> int:"));
    await screenshot("preview-alpaca");
  });

  it("shows each turn of a reasoning conversation", async () => {
    await openInEditor("reasoning-think.jsonl", 1);
    const report = await waitForRender("the Korean reasoning row", (r) => r.line === 1 && r.text.includes("자연수 n"));
    assert.equal(report.partCount, 2);
    assert.ok(report.text.includes("<think>\nn(n+1)/2 = 55"));
    await screenshot("preview-reasoning");
  });

  it("shows dataset HTML as text and runs none of it", async () => {
    const uri = workspaceFile("html-in-text.jsonl");
    const row = {
      instruction: "Explain this markup: <script>window.parent.postMessage('pwned','*')</script>",
      input: "<img src=x onerror=\"document.body.innerHTML='pwned'\"><b>bold?</b>",
      output: "It is markup; a safe viewer shows it as text.",
    };
    await vscode.workspace.fs.writeFile(uri, Buffer.from(`${JSON.stringify(row)}\n`));
    const document = await vscode.workspace.openTextDocument(uri);
    const editor = await vscode.window.showTextDocument(document);
    moveCursor(editor, 0);
    await vscode.commands.executeCommand("instructStudio.showPreview");
    await vscode.window.showTextDocument(document);
    const report = await waitForRender("the HTML row in the panel", (r) => r.text.includes("Explain this markup"));
    assert.equal(report.scriptElements, 0);
    assert.equal(report.imageElements, 0);
    assert.ok(report.text.includes("<script>window.parent.postMessage('pwned','*')</script>"));
    assert.ok(report.text.includes("<img src=x onerror=\"document.body.innerHTML='pwned'\">"));
    await screenshot("preview-html-as-text");
  });
});

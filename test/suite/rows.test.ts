import assert from "node:assert/strict";
import * as vscode from "vscode";
import type { RowView } from "../../src/protocol/webview";
import { openInEditor } from "./helpers";

const describeRowAt = async (file: string, line: number) => {
  await openInEditor(file, line);
  return vscode.commands.executeCommand<RowView | undefined>("instructStudio.describeRow");
};

describe("rows under the cursor", () => {
  const cases: Array<[string, number, string, string[]]> = [
    ["alpaca.jsonl", 1, "Alpaca", ["instruction", "input", "output"]],
    ["sharegpt.jsonl", 0, "ShareGPT", ["system", "human", "gpt"]],
    ["openai-messages.jsonl", 1, "OpenAI messages", ["user", "assistant", "tool", "assistant"]],
    ["reasoning-think.jsonl", 0, "OpenAI messages", ["system", "user", "assistant"]],
    ["s1k.jsonl", 0, "s1K reasoning", ["question", "thinking", "attempt"]],
    ["preference.jsonl", 0, "Preference", ["prompt", "chosen", "rejected"]],
    ["events.ndjson", 0, "Not instruction data", ["level", "msg", "port"]],
  ];
  for (const [file, line, format, roles] of cases) {
    it(`describes ${file} line ${line + 1} as ${format}`, async () => {
      const row = await describeRowAt(file, line);
      assert.ok(row);
      assert.equal(row.formatLabel, format);
      assert.deepEqual(
        row.parts.map((p) => p.role),
        roles,
      );
      assert.deepEqual(row.syntaxErrors, []);
    });
  }

  it("reports a syntax error with its column instead of failing", async () => {
    const editor = await openInEditor("alpaca.jsonl", 0);
    const document = await vscode.workspace.openTextDocument({ language: "jsonl", content: '{"instruction": "x",}\n' });
    await vscode.window.showTextDocument(document);
    const row = await vscode.commands.executeCommand<RowView>("instructStudio.describeRow");
    assert.equal(row.syntaxErrors.length > 0, true);
    assert.match(row.syntaxErrors[0], /column 21/);
    await vscode.window.showTextDocument(editor.document);
  });
});
